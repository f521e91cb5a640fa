package io.hoptrace.faults.soak;

import io.hoptrace.faults.Parts;
import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.faults.accounting.SpanAccounting;
import io.hoptrace.faults.probe.ClickHouseQuery;
import io.hoptrace.faults.scenario.Scenario;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.json.Json;
import io.hoptrace.load.orders.ServiceApi;
import io.hoptrace.process.Poll;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./stack faults --soak 30m}: steady order and telemetry load at about half the machine for a
 * long time, no fault injected. Passes when the heap after full GC and the RSS of our processes stay
 * flat (within {@link SoakPlan}'s bounds), the ingester's lag returns to zero, and every acknowledged
 * span and every confirmed order is accounted for exactly. The curves are a picture in the report.
 */
public final class Soak implements Scenario {
  public static final String PRODUCT = "soak-gear";
  public static final int STOCK = 1_000_000_000;
  /** Where each of our JVMs writes its GC log during a soak (the launcher's JVMs read JAVA_TOOL_OPTIONS). */
  public static Path gcLog(Path dataDir, String role) {
    return dataDir.resolve("logs").resolve("gc-" + role + ".log");
  }

  private final SoakPlan plan;

  public Soak(SoakPlan plan) {
    this.plan = plan;
  }

  @Override
  public String name() {
    return "soak";
  }

  @Override
  public String title() {
    return "steady order and telemetry load for " + plan.duration().toMinutes() + " min: memory flat, lag back to zero, nothing lost or duplicated";
  }

  @Override
  public void run(Stack stack, SuiteOptions o, ScenarioResult result, PrintStream out) throws Exception {
    ServiceApi api = Parts.api(stack);
    SteadyLoad load = new SteadyLoad(stack.jvm(io.hoptrace.launcher.Role.ORDER).url(), stack.receiver().url(), PRODUCT, "soak-" + o.seed());

    out.println("    measuring order capacity: 16 clients ordering " + PRODUCT + " for 20 s");
    double capacity = load.measureOrderCapacity(16, Duration.ofSeconds(20));
    double orderRate = Math.max(1, capacity * plan.orderShare());
    int stockBefore = api.stockOf(PRODUCT);
    result.figure("order capacity, 16 clients, one product (orders/s)", String.format(Locale.ROOT, "%.1f", capacity));
    result.figure("steady order rate (orders/s)", String.format(Locale.ROOT, "%.1f", orderRate));
    load.startOrders(orderRate);

    out.println("    measuring ingest capacity: 300,000 spans exported at once on 8 connections, under the steady orders, until all are in ClickHouse");
    double ingest = ingestCapacity(stack, o, out);
    double requestsPerSecond = plan.requestsPerSecond(ingest);
    double spansPerSecond = requestsPerSecond * SoakPlan.TRACES_PER_REQUEST * 5;
    result.figure("ingest capacity, end to end under the orders (spans/s)", (long) ingest);
    result.figure("steady telemetry rate (spans/s)", (long) spansPerSecond);

    Map<String, Long> pids = new LinkedHashMap<>();
    Map<String, Sampler.Jvm> jvms = new LinkedHashMap<>();
    pids.put("kafka", stack.kafka().pid());
    pids.put("clickhouse", stack.clickHouse().pid());
    for (Map.Entry<String, JvmInstance> j : Parts.processes(stack).entrySet()) {
      pids.put(j.getKey(), j.getValue().pid());
      jvms.put(j.getKey(), new Sampler.Jvm(j.getValue().pid(), gcLog(stack.config().dataDir(), j.getValue().id().role().id())));
    }
    Sampler sampler = new Sampler(pids, jvms, stack.kafka().bootstrapServers(), SpanAccounting.TRACES_GROUP, Topics.OTLP_SPANS, load, plan);
    out.printf(Locale.ROOT, "    steady load for %d min: %.1f orders/s, %,d spans/s; a sample every %d s, a full GC every %d s%n",
        plan.duration().toMinutes(), orderRate, (long) spansPerSecond, plan.sampleEvery().toSeconds(), plan.fullGcEvery().toSeconds());
    sampler.start();
    load.startTelemetry(requestsPerSecond, 10_000_000L);
    long end = System.nanoTime() + plan.duration().toNanos();
    while (System.nanoTime() < end) {
      // the run's length is the load's, not a wait for something: a progress line a minute
      Thread.sleep(Math.min(60_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      Sampler.Sample s = sampler.last();
      if (s != null) {
        out.printf(Locale.ROOT, "    %5.0f s  orders p99 %6.1f ms  exports p99 %6.1f ms  lag %,d  rss %s%n", s.seconds(), s.orders().p99Millis(),
            s.exports().p99Millis(), s.lag(), s.rssMiB());
      }
    }
    load.stop();
    double runSeconds = plan.duration().toSeconds();
    out.println("    load stopped; waiting for the ingester's lag to return to zero");
    boolean drained;
    long stopped = System.nanoTime();
    try {
      // everything in the topic when the load stopped (the services keep exporting their own telemetry)
      CaughtUp.await(stack.kafka().bootstrapServers(), SpanAccounting.TRACES_GROUP, Topics.OTLP_SPANS, plan.drain());
      drained = true;
      result.figure("lag back to zero after the load stopped (s)", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - stopped) / 1e9));
    } catch (Poll.TimeoutException e) {
      drained = false;
    }
    sampler.close();
    List<Sampler.Sample> samples = sampler.samples();

    accountTelemetry(stack, load, result);
    accountOrders(api, load, stockBefore, result);
    result.check("the ingester caught up with everything sent (its lag of then back to zero) within " + plan.drain().toSeconds() + " s of the load stopping", drained,
        "max lag during the run " + samples.stream().mapToLong(Sampler.Sample::lag).max().orElse(0) + " records");
    result.check("the load kept its pace (no tick skipped for want of a free connection)", load.skipped() == 0, load.skipped() + " skipped");
    result.check("every sample was taken", sampler.problems().isEmpty() && samples.size() >= runSeconds / plan.sampleEvery().toSeconds(),
        samples.size() + " samples; " + sampler.problems());
    judgeMemory(samples, jvms.keySet(), runSeconds, result);
    latencyFigures(samples, runSeconds, result);

    result.attach("curves.svg", chart(samples, pids.keySet(), jvms.keySet(), runSeconds),
        "heap after full GC and RSS of every process, the ingester's lag, p99 latencies, every " + plan.sampleEvery().toSeconds() + " s");
    result.attach("samples.csv", csv(samples, pids.keySet(), jvms.keySet()), "every sample, as numbers");
  }

  /**
   * End-to-end ingest capacity: the time from the first export of a fixed backlog (600 requests, 300,000
   * spans, sent as fast as the receiver takes them on 8 connections) until every acknowledged span of it
   * is in ClickHouse. A fixed amount, not a fixed time: on a slow machine it takes longer instead of
   * leaving a backlog the soak would start behind.
   */
  private static double ingestCapacity(Stack stack, SuiteOptions o, PrintStream out) throws Exception {
    SteadyLoad burst = new SteadyLoad(stack.jvm(io.hoptrace.launcher.Role.ORDER).url(), stack.receiver().url(), PRODUCT, "soak-capacity-" + o.seed());
    ClickHouseQuery ch = new ClickHouseQuery(stack.clickHouse().settings());
    String count = "SELECT count() FROM otel_traces WHERE ServiceName = " + ClickHouseQuery.quote(burst.serviceName());
    long t0 = System.nanoTime();
    burst.burst(8, 600, 1L);
    long acked = burst.spansAcknowledged.sum();
    Poll.until("the burst's " + acked + " acknowledged spans to be in ClickHouse", Duration.ofMinutes(10), Duration.ofMillis(100),
        () -> ch.count(count) >= acked);
    double capacity = acked / ((System.nanoTime() - t0) / 1e9);
    out.printf(Locale.ROOT, "    ingest capacity %,.0f spans/s (%,d spans in %.1f s)%n", capacity, acked, (System.nanoTime() - t0) / 1e9);
    CaughtUp.await(stack.kafka().bootstrapServers(), SpanAccounting.TRACES_GROUP, Topics.OTLP_SPANS, Duration.ofMinutes(5));
    return capacity;
  }

  private static void accountTelemetry(Stack stack, SteadyLoad load, ScenarioResult result) throws Exception {
    CaughtUp.await(stack.kafka().bootstrapServers(), SpanAccounting.TRACES_GROUP, Topics.OTLP_SPANS, Duration.ofMinutes(3));
    ClickHouseQuery ch = new ClickHouseQuery(stack.clickHouse().settings());
    String where = " FROM otel_traces WHERE ServiceName = " + ClickHouseQuery.quote(load.serviceName());
    long rows = ch.count("SELECT count()" + where);
    long distinct = ch.count("SELECT uniqExact(TraceId, SpanId)" + where);
    long sent = load.spansSent.sum();
    long acked = load.spansAcknowledged.sum();
    Map<String, Long> answers = SteadyLoad.counts(load.exportAnswers);
    result.figure("spans sent", sent);
    result.figure("spans acknowledged", acked);
    result.figure("spans stored (distinct)", distinct);
    result.figure("duplicated", rows - distinct);
    result.figure("lost (acknowledged, not stored)", Math.max(0, acked - distinct));
    answers.forEach((a, n) -> result.figure("  exports answered " + a, n));
    result.check("no span stored twice", rows == distinct, rows + " rows, " + distinct + " distinct (TraceId, SpanId)");
    // the soak counts (an id set of hours of spans would not fit a bounded heap): with every export
    // acknowledged, stored == sent is exact; otherwise the refused ones may or may not be stored
    result.check("every acknowledged span stored, nothing stored that was not sent", distinct >= acked && distinct <= sent,
        String.format(Locale.ROOT, "%,d acknowledged <= %,d stored <= %,d sent", acked, distinct, sent));
    result.check("every export acknowledged at this rate", acked == sent, answers.toString());
  }

  private static void accountOrders(ServiceApi api, SteadyLoad load, int stockBefore, ScenarioResult result) {
    Map<String, Long> answers = SteadyLoad.counts(load.orderAnswers);
    long confirmed = answers.getOrDefault("201 CONFIRMED", 0L);
    long pendingConfirmed = 0;
    if (!load.pending.isEmpty()) {
      Poll.until("the orders answered 202 to be settled", Duration.ofMinutes(2), Duration.ofMillis(500),
          () -> api.ordersOf(PRODUCT).entrySet().stream().filter(e -> load.pending.contains(e.getKey()))
              .noneMatch(e -> "PENDING".equals(e.getValue().string("status"))));
      Map<String, Json.Obj> book = api.ordersOf(PRODUCT);
      pendingConfirmed = load.pending.stream().filter(id -> book.containsKey(id) && "CONFIRMED".equals(book.get(id).string("status"))).count();
    }
    int stockAfter = api.stockOf(PRODUCT);
    long placed = answers.values().stream().mapToLong(Long::longValue).sum();
    result.figure("orders placed", placed);
    result.figure("orders confirmed", confirmed + pendingConfirmed);
    answers.forEach((a, n) -> result.figure("  orders answered " + a, n));
    result.figure("stock before", stockBefore);
    result.figure("stock after", stockAfter);
    result.check("stock = stock before - confirmed", stockBefore - stockAfter == confirmed + pendingConfirmed,
        String.format(Locale.ROOT, "inventory says %,d, accounting %,d", stockAfter, stockBefore - confirmed - pendingConfirmed));
    result.check("every order confirmed (the product never runs out)", confirmed + pendingConfirmed == placed, answers.toString());
  }

  private void judgeMemory(List<Sampler.Sample> samples, Iterable<String> jvms, double runSeconds, ScenarioResult result) {
    for (String jvm : jvms) {
      List<Trend.Point> heap = new ArrayList<>();
      List<Trend.Point> rss = new ArrayList<>();
      for (Sampler.Sample s : samples) {
        if (s.seconds() > runSeconds) {
          continue; // the drain after the load: not part of the steady run
        }
        Long h = s.heapAfterFullGcMiB().get(jvm);
        if (h != null) {
          heap.add(new Trend.Point(s.seconds(), h));
        }
        Long r = s.rssMiB().get(jvm);
        if (r != null && r >= 0) {
          rss.add(new Trend.Point(s.seconds(), r));
        }
      }
      Trend.Verdict h = plan.heap().byFloor(heap, runSeconds);
      Trend.Verdict r = plan.rss().byMean(rss, runSeconds);
      result.figure(jvm + " heap after full GC, middle / last third (MiB)", String.format(Locale.ROOT, "%.0f / %.0f", h.middle(), h.last()));
      result.figure(jvm + " RSS mean, middle / last third (MiB)", String.format(Locale.ROOT, "%.0f / %.0f", r.middle(), r.last()));
      result.check(jvm + ": heap after full GC flat", h.flat(), h.detail());
      result.check(jvm + ": RSS flat", r.flat(), r.detail());
    }
  }

  private static void latencyFigures(List<Sampler.Sample> samples, double runSeconds, ScenarioResult result) {
    double[] orderP99 = samples.stream().filter(s -> s.seconds() <= runSeconds && s.orders().count() > 0).mapToDouble(s -> s.orders().p99Millis()).sorted().toArray();
    double[] exportP99 = samples.stream().filter(s -> s.seconds() <= runSeconds && s.exports().count() > 0).mapToDouble(s -> s.exports().p99Millis()).sorted().toArray();
    if (orderP99.length > 0) {
      result.figure("order p99 per 10 s, median / worst (ms)", String.format(Locale.ROOT, "%.1f / %.1f", orderP99[orderP99.length / 2], orderP99[orderP99.length - 1]));
    }
    if (exportP99.length > 0) {
      result.figure("OTLP export p99 per 10 s, median / worst (ms)", String.format(Locale.ROOT, "%.1f / %.1f", exportP99[exportP99.length / 2], exportP99[exportP99.length - 1]));
    }
  }

  private static String chart(List<Sampler.Sample> samples, Iterable<String> processes, Iterable<String> jvms, double runSeconds) {
    Map<String, List<double[]>> heap = new LinkedHashMap<>();
    Map<String, List<double[]>> rss = new LinkedHashMap<>();
    for (String j : jvms) {
      heap.put(j, new ArrayList<>());
    }
    for (String p : processes) {
      rss.put(p, new ArrayList<>());
    }
    List<double[]> lag = new ArrayList<>();
    List<double[]> orders = new ArrayList<>();
    List<double[]> exports = new ArrayList<>();
    for (Sampler.Sample s : samples) {
      s.heapAfterFullGcMiB().forEach((k, v) -> heap.computeIfAbsent(k, x -> new ArrayList<>()).add(new double[] {s.seconds(), v}));
      s.rssMiB().forEach((k, v) -> rss.computeIfAbsent(k, x -> new ArrayList<>()).add(new double[] {s.seconds(), v}));
      lag.add(new double[] {s.seconds(), s.lag()});
      if (s.orders().count() > 0) {
        orders.add(new double[] {s.seconds(), s.orders().p99Millis()});
      }
      if (s.exports().count() > 0) {
        exports.add(new double[] {s.seconds(), s.exports().p99Millis()});
      }
    }
    double span = samples.isEmpty() ? runSeconds : Math.max(runSeconds, samples.get(samples.size() - 1).seconds());
    return new SvgChart()
        .panel("Heap after full GC (our JVMs)", "MiB", heap)
        .panel("RSS", "MiB", rss)
        .panel("Ingester lag on otlp_spans", "rec", Map.of("lag", lag))
        .panel("p99 latency per interval", "ms", new LinkedHashMap<>(Map.of("POST /order-product", orders, "OTLP export", exports)))
        .render(span, runSeconds);
  }

  private static String csv(List<Sampler.Sample> samples, Iterable<String> processes, Iterable<String> jvms) {
    StringBuilder sb = new StringBuilder("seconds");
    for (String p : processes) {
      sb.append(",rss_mib_").append(p);
    }
    for (String j : jvms) {
      sb.append(",heap_after_full_gc_mib_").append(j);
    }
    sb.append(",lag_records,orders,order_p50_ms,order_p99_ms,exports,export_p50_ms,export_p99_ms\n");
    for (Sampler.Sample s : samples) {
      sb.append(String.format(Locale.ROOT, "%.1f", s.seconds()));
      for (String p : processes) {
        sb.append(',').append(s.rssMiB().getOrDefault(p, -1L));
      }
      for (String j : jvms) {
        Long h = s.heapAfterFullGcMiB().get(j);
        sb.append(',').append(h == null ? "" : h.toString());
      }
      sb.append(String.format(Locale.ROOT, ",%d,%d,%.1f,%.1f,%d,%.1f,%.1f%n", s.lag(), s.orders().count(), s.orders().p50Millis(), s.orders().p99Millis(),
          s.exports().count(), s.exports().p50Millis(), s.exports().p99Millis()));
    }
    return sb.toString();
  }
}
