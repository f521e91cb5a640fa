package io.hoptrace.bench;

import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.load.otlp.OtlpSender;
import io.hoptrace.load.otlp.SpanFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Benchmark 4, trace visibility latency: orders are placed one at a time; for each, the time from
 * the HTTP response until all five spans of its trace are queryable in ClickHouse (polled every
 * 20 ms for all pending traces at once). At idle, and under load: benchmark 1's span stream paced at
 * half its measured sustained rate, sent to the same collector meanwhile.
 */
final class VisibilityLatency {
  private static final Pattern TRACE_ID = Pattern.compile("\"traceId\"\\s*:\\s*\"([0-9a-f]{32})\"");

  record Options(int repeats, int orders, long gapMillis, double loadSpansPerSecond) {}

  private final BenchStack stack;
  private final Options options;
  private final Console console;
  private final ClickHouseHttp ch;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  VisibilityLatency(BenchStack stack, Options options, Console console) {
    this.stack = stack;
    this.options = options;
    this.console = console;
    this.ch = new ClickHouseHttp(stack.clickHouseUrl());
  }

  Report.Section run() throws Exception {
    Path seed = stack.unlimitedCatalogue("latency-catalogue.json", List.of(BenchStack.PRODUCT));
    List<double[]> idle = new ArrayList<>();
    List<double[]> loaded = new ArrayList<>();
    try (JvmInstance collector = stack.startCollector(Map.of());
        BenchStack.Services services = stack.startServices(Map.of("INVENTORY_SEED_FILE", seed.toString()))) {
      String order = services.order().url() + "/order-product";
      console.step("latency: warm-up (50 orders, not measured)");
      for (int i = 0; i < 50; i++) {
        placeOrder(order);
      }
      Thread.sleep(3000);
      for (int r = 1; r <= options.repeats(); r++) {
        Quiet.await(console, ch);
        double[] l = measure(order);
        idle.add(l);
        console.step(String.format(Locale.ROOT, "latency %d/%d at idle: p50 %.3f s, p95 %.3f s, max %.3f s (%d orders)", r, options.repeats(),
            Stats.percentile(l, 50), Stats.percentile(l, 95), Stats.percentile(l, 100), l.length));
      }
      for (int r = 1; r <= options.repeats(); r++) {
        Quiet.await(console, ch);
        SpanFactory f = new SpanFactory(UUID.randomUUID().toString().substring(0, 8), System.currentTimeMillis() * 1_000_000L);
        double rps = options.loadSpansPerSecond() / SpanFactory.SPANS_PER_REQUEST;
        long requests = (long) (rps * (options.orders() * options.gapMillis() / 1000.0 + 20));
        ExecutorService bg = Executors.newSingleThreadExecutor();
        Future<OtlpSender.Result> load = bg.submit(() -> new OtlpSender(collector.url(), 4).send(requests, f::request, f::spans, rps, true));
        Thread.sleep(5000); // the load reaches its steady state
        double[] l = measure(order);
        OtlpSender.Result sent = load.get();
        bg.shutdown();
        loaded.add(l);
        console.step(String.format(Locale.ROOT, "latency %d/%d under load (%,.0f spans/s sent meanwhile): p50 %.3f s, p95 %.3f s, max %.3f s",
            r, options.repeats(), sent.spansPerSecond(), Stats.percentile(l, 50), Stats.percentile(l, 95), Stats.percentile(l, 100)));
      }
    }
    return section(idle, loaded);
  }

  private String placeOrder(String url) throws Exception {
    HttpResponse<String> r = http.send(BenchStack.orderRequest(url, BenchStack.PRODUCT), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("order answered " + r.statusCode() + ": " + r.body());
    }
    Matcher m = TRACE_ID.matcher(r.body());
    if (!m.find()) {
      throw new IllegalStateException("no traceId in the order's answer: " + r.body());
    }
    return m.group(1);
  }

  /** Places the orders (one every gap) and returns each one's seconds from response to complete trace. */
  private double[] measure(String orderUrl) throws Exception {
    Map<String, Long> pending = new ConcurrentHashMap<>(); // traceId -> response nanos
    List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    String db = stack.database();
    Thread poller = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          if (!pending.isEmpty()) {
            String ids = pending.keySet().stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
            String res = ch.query("SELECT TraceId FROM " + db + ".otel_traces WHERE TraceId IN (" + ids + ") GROUP BY TraceId HAVING count() >= 5");
            long now = System.nanoTime();
            for (String id : res.split("\n")) {
              Long t = id.isBlank() ? null : pending.remove(id.trim());
              if (t != null) {
                latencies.add((now - t) / 1e9);
              }
            }
          }
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // a slow answer: poll again
        }
      }
    }, "latency-poller");
    poller.setDaemon(true);
    poller.start();
    try {
      for (int i = 0; i < options.orders(); i++) {
        long start = System.nanoTime();
        String trace = placeOrder(orderUrl);
        pending.put(trace, System.nanoTime());
        long wait = options.gapMillis() * 1_000_000L - (System.nanoTime() - start);
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000);
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!pending.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (!pending.isEmpty()) {
        throw new IllegalStateException(pending.size() + " traces were not complete in ClickHouse 60 s after their order");
      }
    } finally {
      poller.interrupt();
      poller.join(5000);
    }
    return latencies.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private Report.Section section(List<double[]> idle, List<double[]> loaded) {
    Stats idle50 = Stats.of(idle.stream().map(l -> Stats.percentile(l, 50)).toList());
    Stats idle95 = Stats.of(idle.stream().map(l -> Stats.percentile(l, 95)).toList());
    Stats load50 = Stats.of(loaded.stream().map(l -> Stats.percentile(l, 50)).toList());
    Stats load95 = Stats.of(loaded.stream().map(l -> Stats.percentile(l, 95)).toList());
    List<Report.Row> rows = List.of(
        new Report.Row("p95 at idle", idle95.format("%.2f") + " s", "", "", String.format(Locale.ROOT, "≤ %.1f s", Goals.VISIBILITY_P95_IDLE_SECONDS),
            idle95.median() <= Goals.VISIBILITY_P95_IDLE_SECONDS),
        Report.Row.info("p50 at idle", idle50.format("%.2f") + " s"),
        Report.Row.info(String.format(Locale.ROOT, "p95 under load (%,.0f spans/s)", options.loadSpansPerSecond()), load95.format("%.2f") + " s"),
        Report.Row.info(String.format(Locale.ROOT, "p50 under load (%,.0f spans/s)", options.loadSpansPerSecond()), load50.format("%.2f") + " s"));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("OTEL_BSP_SCHEDULE_DELAY", System.getenv().getOrDefault("OTEL_BSP_SCHEDULE_DELAY", "200 ms, the project's default"));
    settings.put("COLLECTOR_BATCH_DELAY", System.getenv().getOrDefault("COLLECTOR_BATCH_DELAY", "500ms, the default"));
    return new Report.Section("4. Trace visibility latency", List.of(String.format(Locale.ROOT,
        "%d orders per run, one every %d ms, against the services with their default telemetry settings (%s); for each, the time from "
            + "its `201` answer until the five spans of its trace are in `otel_traces` (one query every 20 ms for all pending traces). "
            + "Under load: the span stream of benchmark 1 paced at %,.0f spans/s (half the sustained end-to-end rate of benchmark 1) to the same "
            + "collector during the orders. p50 and p95 per run; the table shows their median over the runs.",
        options.orders(), options.gapMillis(), settings.entrySet().stream().map(e -> "`" + e.getKey() + "` " + e.getValue())
            .collect(Collectors.joining(", ")), options.loadSpansPerSecond())), rows, List.of());
  }
}
