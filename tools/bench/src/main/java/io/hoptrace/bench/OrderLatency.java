package io.hoptrace.bench;

import io.hoptrace.launcher.JvmInstance;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 6, an order's latency and a hot product: closed-loop clients placing
 * {@code POST /order-product} for one product (its stock never runs out), first one client, then
 * {@link Goals#HOT_CLIENTS} at once: every order crosses both Kafka hops in transactions and is
 * decided by the one inventory thread that owns the product's partition. In the same run, on the same
 * broker, the floor: a transactional producer → {@code read_committed} consumer round trip, which
 * each order pays twice.
 */
final class OrderLatency {
  record Options(int repeats, int seconds, int warmupSeconds) {}

  /** One closed-loop measurement. */
  record Load(int clients, long orders, long failed, double seconds, double[] millis, Map<String, Double> cpu, List<String> traceIds) {
    double perSecond() {
      return orders / seconds;
    }
  }

  private final BenchStack stack;
  private final Options options;
  private final Console console;
  /** Orders per load whose spans are read for the breakdown of where the time goes. */
  private static final int TRACED = 300;
  private static final java.util.regex.Pattern TRACE_ID = java.util.regex.Pattern.compile("\"traceId\"\\s*:\\s*\"([0-9a-f]{32})\"");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  OrderLatency(BenchStack stack, Options options, Console console) {
    this.stack = stack;
    this.options = options;
    this.console = console;
  }

  Report.Section run() throws Exception {
    Path seed = stack.unlimitedCatalogue("bench-catalogue.json", List.of(BenchStack.PRODUCT));
    ClickHouseHttp ch = new ClickHouseHttp(stack.clickHouseUrl());
    List<KafkaRoundTrip.Times> plain = new ArrayList<>();
    List<KafkaRoundTrip.Times> tx = new ArrayList<>();
    List<Load> one = new ArrayList<>();
    List<Load> hot = new ArrayList<>();
    List<Map<String, Double>> oneSpans = new ArrayList<>();
    List<Map<String, Double>> hotSpans = new ArrayList<>();
    try (JvmInstance collector = stack.startCollector(Map.of());
        BenchStack.Services services = stack.startServices(Map.of("INVENTORY_SEED_FILE", seed.toString()))) {
      Map<String, Long> pids = stack.pids(List.of(services.order(), services.inventory()), collector);
      String url = services.order().url() + "/order-product";
      console.step("orders: warm-up (" + options.warmupSeconds() + " s, " + Goals.HOT_CLIENTS + " clients)");
      closedLoop(url, Goals.HOT_CLIENTS, options.warmupSeconds(), pids);
      for (int r = 1; r <= options.repeats(); r++) {
        Quiet.await(console, ch);
        plain.add(KafkaRoundTrip.measure(stack.kafkaBootstrapServers(), false, 300));
        tx.add(KafkaRoundTrip.measure(stack.kafkaBootstrapServers(), true, 300));
        one.add(closedLoop(url, 1, options.seconds(), pids));
        hot.add(closedLoop(url, Goals.HOT_CLIENTS, options.seconds(), pids));
        oneSpans.add(OrderSpans.medians(ch, stack.database(), one.get(r - 1).traceIds(), Duration.ofSeconds(30)));
        hotSpans.add(OrderSpans.medians(ch, stack.database(), hot.get(r - 1).traceIds(), Duration.ofSeconds(30)));
        console.step("orders " + r + ": where the time goes (median ms), one client: " + OrderSpans.format(oneSpans.get(r - 1)));
        console.step("orders " + r + ": where the time goes (median ms), " + Goals.HOT_CLIENTS + " clients: " + OrderSpans.format(hotSpans.get(r - 1)));
        console.step(String.format(Locale.ROOT, "orders %d/%d: Kafka round trip p50 %.2f ms (transactional %.2f ms); one client p50 %.1f ms p99 %.1f ms;"
                + " %d clients %,.0f orders/s p50 %.1f ms p99 %.1f ms", r, options.repeats(), plain.get(r - 1).p50(), tx.get(r - 1).p50(),
            p(one.get(r - 1), 50), p(one.get(r - 1), 99), Goals.HOT_CLIENTS, hot.get(r - 1).perSecond(), p(hot.get(r - 1), 50), p(hot.get(r - 1), 99)));
      }
    }
    return section(plain, tx, one, hot, oneSpans, hotSpans);
  }

  private static double p(Load l, double pct) {
    return Stats.percentile(l.millis(), pct);
  }

  /** {@code clients} threads, each placing one order after the other for {@code seconds}. */
  private Load closedLoop(String url, int clients, int seconds, Map<String, Long> pids) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicLong failed = new AtomicLong();
    List<String> traceIds = java.util.Collections.synchronizedList(new ArrayList<>());
    List<double[]> perClient = new ArrayList<>();
    ProcStat.CpuMeter cpu = new ProcStat.CpuMeter(pids).start();
    long t0 = System.nanoTime();
    long end = t0 + Duration.ofSeconds(seconds).toNanos();
    try {
      List<Future<double[]>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        futures.add(pool.submit(() -> {
          double[] times = new double[1024];
          int n = 0;
          HttpRequest req = BenchStack.orderRequest(url, BenchStack.PRODUCT);
          while (System.nanoTime() < end) {
            long s = System.nanoTime();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201 || !r.body().contains("CONFIRMED")) {
              failed.incrementAndGet();
              continue;
            }
            if (traceIds.size() < TRACED) {
              java.util.regex.Matcher m = TRACE_ID.matcher(r.body());
              if (m.find()) {
                traceIds.add(m.group(1));
              }
            }
            if (n == times.length) {
              times = java.util.Arrays.copyOf(times, n * 2);
            }
            times[n++] = (System.nanoTime() - s) / 1e6;
          }
          return java.util.Arrays.copyOf(times, n);
        }));
      }
      for (Future<double[]> f : futures) {
        perClient.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    cpu.stop();
    Map<String, Double> used = new LinkedHashMap<>(cpu.used());
    used.put("others", cpu.others());
    double[] all = perClient.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    return new Load(clients, all.length, failed.get(), elapsed, all, used, List.copyOf(traceIds));
  }

  private Report.Section section(List<KafkaRoundTrip.Times> plain, List<KafkaRoundTrip.Times> tx, List<Load> one, List<Load> hot,
      List<Map<String, Double>> oneSpans, List<Map<String, Double>> hotSpans) {
    Stats plain50 = Stats.of(plain.stream().map(KafkaRoundTrip.Times::p50).toList());
    Stats tx50 = Stats.of(tx.stream().map(KafkaRoundTrip.Times::p50).toList());
    Stats tx99 = Stats.of(tx.stream().map(KafkaRoundTrip.Times::p99).toList());
    Stats one50 = Stats.of(one.stream().map(l -> p(l, 50)).toList());
    Stats one99 = Stats.of(one.stream().map(l -> p(l, 99)).toList());
    Stats hotRate = Stats.of(hot.stream().map(Load::perSecond).toList());
    Stats hot50 = Stats.of(hot.stream().map(l -> p(l, 50)).toList());
    Stats hot99 = Stats.of(hot.stream().map(l -> p(l, 99)).toList());
    Stats serviceCpu = Stats.of(hot.stream().map(l -> (l.cpu().get("order") + l.cpu().get("inventory")) / l.orders() * 1e6).toList());
    Stats pipelineCpu = Stats.of(hot.stream().map(l -> (l.cpu().get("collector") + l.cpu().get("kafka") + l.cpu().get("clickhouse")) / l.orders() * 1e6).toList());
    long failed = one.stream().mapToLong(Load::failed).sum() + hot.stream().mapToLong(Load::failed).sum();
    List<Report.Row> rows = new ArrayList<>(List.of(
        new Report.Row("one client: p50 latency", one50.format("%.1f") + " ms", String.format(Locale.ROOT, "%.1f ms (two transactional Kafka round trips)",
            2 * tx50.median()), String.format(Locale.ROOT, "%.1f", one50.median() / (2 * tx50.median())),
            String.format(Locale.ROOT, "≤ %.0f ms", Goals.ONE_CLIENT_P50_MS), one50.median() <= Goals.ONE_CLIENT_P50_MS),
        new Report.Row("one client: p99 latency", one99.format("%.1f") + " ms", "", "", String.format(Locale.ROOT, "≤ %.0f ms", Goals.ONE_CLIENT_P99_MS),
            one99.median() <= Goals.ONE_CLIENT_P99_MS),
        new Report.Row(Goals.HOT_CLIENTS + " clients, the same product: orders/s", hotRate.format("%,.0f"), "", "",
            String.format(Locale.ROOT, "≥ %,.0f", Goals.HOT_ORDERS_PER_SECOND), hotRate.median() >= Goals.HOT_ORDERS_PER_SECOND),
        new Report.Row(Goals.HOT_CLIENTS + " clients, the same product: p99 latency", hot99.format("%.1f") + " ms", "", "",
            String.format(Locale.ROOT, "≤ %.0f ms", Goals.HOT_P99_MS), hot99.median() <= Goals.HOT_P99_MS),
        Report.Row.info(Goals.HOT_CLIENTS + " clients, the same product: p50 latency", hot50.format("%.1f") + " ms"),
        Report.Row.info("Kafka round trip, acks=all, one record (p50)", plain50.format("%.2f") + " ms"),
        Report.Row.info("Kafka round trip, one record per transaction, read_committed (p50 / p99)", tx50.format("%.2f") + " ms / " + tx99.format("%.2f") + " ms"),
        Report.Row.info("CPU per order of order + inventory / collector + Kafka + ClickHouse (" + Goals.HOT_CLIENTS + " clients)",
            serviceCpu.format("%,.0f") + " µs / " + pipelineCpu.format("%,.0f") + " µs"),
        Report.Row.info("orders not confirmed (all runs)", Long.toString(failed))));
    Map<String, List<Double>> raw = new LinkedHashMap<>();
    raw.put("kafka round trip p50 ms", plain.stream().map(KafkaRoundTrip.Times::p50).toList());
    raw.put("kafka transactional round trip p50 ms", tx.stream().map(KafkaRoundTrip.Times::p50).toList());
    raw.put("kafka transactional round trip p99 ms", tx.stream().map(KafkaRoundTrip.Times::p99).toList());
    raw.put("one client p50 ms", one.stream().map(l -> p(l, 50)).toList());
    raw.put("one client p99 ms", one.stream().map(l -> p(l, 99)).toList());
    raw.put("one client orders/s", one.stream().map(Load::perSecond).toList());
    raw.put("hot orders/s", hot.stream().map(Load::perSecond).toList());
    raw.put("hot p50 ms", hot.stream().map(l -> p(l, 50)).toList());
    raw.put("hot p99 ms", hot.stream().map(l -> p(l, 99)).toList());
    raw.put("hot service CPU µs/order", hot.stream().map(l -> (l.cpu().get("order") + l.cpu().get("inventory")) / l.orders() * 1e6).toList());
    for (String segment : OrderSpans.SEGMENTS) {
      List<Double> o = oneSpans.stream().filter(m -> m.containsKey(segment)).map(m -> m.get(segment)).toList();
      List<Double> h = hotSpans.stream().filter(m -> m.containsKey(segment)).map(m -> m.get(segment)).toList();
      if (!o.isEmpty() && !h.isEmpty()) {
        rows.add(Report.Row.info("span breakdown, median ms, one client / " + Goals.HOT_CLIENTS + " clients: " + segment,
            Stats.of(o).format("%.1f") + " / " + Stats.of(h).format("%.1f")));
        raw.put("one client span ms: " + segment, o);
        raw.put("hot span ms: " + segment, h);
      }
    }
    List<String> details = new ArrayList<>();
    details.add("| repetition | clients | orders | orders/s | p50 ms | p99 ms | not confirmed | others' CPU s |");
    details.add("|---|---|---|---|---|---|---|---|");
    for (int i = 0; i < one.size(); i++) {
      for (Load l : List.of(one.get(i), hot.get(i))) {
        details.add(String.format(Locale.ROOT, "| %d | %d | %,d | %,.0f | %.1f | %.1f | %d | %.1f |", i + 1, l.clients(), l.orders(), l.perSecond(),
            p(l, 50), p(l, 99), l.failed(), l.cpu().get("others")));
      }
    }
    return new Report.Section("6. Order latency and a hot product", List.of(String.format(Locale.ROOT,
        "Closed-loop clients (Java HttpClient, one connection each) placing `POST /order-product` for one product whose stock never runs out, "
            + "telemetry on (the default): one client for %d s, then %d clients for %d s, after a %d s warm-up; p50 and p99 of each "
            + "repetition, the table shows their median over %d repetitions. The floor, measured in the same repetition on the same broker: "
            + "300 records one at a time from an idempotent `acks=all` producer to a polling consumer, plainly and with one transaction per "
            + "record to a `read_committed` consumer; an order crosses two such hops.",
        options.seconds(), Goals.HOT_CLIENTS, options.seconds(), options.warmupSeconds(), options.repeats())), rows, details, raw);
  }
}
