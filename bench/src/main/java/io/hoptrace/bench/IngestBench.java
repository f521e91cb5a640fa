package io.hoptrace.bench;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import io.hoptrace.collector.ingester.rows.RowBatch;
import io.hoptrace.collector.ingester.rows.RowBinary;
import io.hoptrace.collector.ingester.rows.SpanRows;
import io.hoptrace.collector.ingester.rows.Table;
import io.hoptrace.process.Env;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * {@code ./stack bench ingest}: sends realistic span batches as OTLP/HTTP protobuf over several
 * connections to a running collector, waits until every span is visible in ClickHouse, and reports
 * spans/s end to end and spans per collector CPU-second (from /proc). In the same run, the baseline:
 * ClickHouse inserting the very same rows in RowBinary over HTTP, with nothing in front of it.
 *
 * <p>Environment: {@code BENCH_OTLP_URL}, {@code BENCH_CLICKHOUSE_URL}, {@code BENCH_DATABASE} (otel),
 * {@code BENCH_COLLECTOR_PID}, {@code BENCH_SPANS} (300000), {@code BENCH_TRACES_PER_REQUEST} (170, i.e.
 * 510 spans like an SDK's 512-span batches), {@code BENCH_CONNECTIONS} (4), {@code BENCH_REPORT} (a file for the figures).
 */
public final class IngestBench {
  private final String otlpUrl;
  private final String clickHouseUrl;
  private final String database;
  private final long collectorPid;
  private final int spans;
  private final int tracesPerRequest;
  private final int connections;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  IngestBench(Env env) {
    otlpUrl = env.string("BENCH_OTLP_URL", "http://127.0.0.1:4318");
    clickHouseUrl = env.string("BENCH_CLICKHOUSE_URL", "http://127.0.0.1:8123");
    database = env.string("BENCH_DATABASE", "otel");
    collectorPid = env.longValue("BENCH_COLLECTOR_PID", -1, -1, Long.MAX_VALUE);
    spans = env.integer("BENCH_SPANS", 300_000, 1_000, 100_000_000);
    tracesPerRequest = env.integer("BENCH_TRACES_PER_REQUEST", 170, 1, 100_000);
    connections = env.integer("BENCH_CONNECTIONS", 4, 1, 256);
  }

  public static void main(String[] args) throws Exception {
    IngestBench bench = new IngestBench(Env.system());
    String report = bench.run();
    System.out.println(report);
    Env.system().optional("BENCH_REPORT").ifPresent(f -> {
      try {
        Files.writeString(Path.of(f), report + "\n");
      } catch (java.io.IOException e) {
        System.err.println("cannot write " + f + ": " + e);
      }
    });
  }

  String run() throws Exception {
    int warmup = Math.max(1, spans / 3);
    System.out.printf(Locale.ROOT, "warm-up: %d spans (not measured: JIT compilation of a fresh collector would dominate)%n", warmup);
    endToEnd(warmup, null);
    return endToEnd(spans, this::baseline);
  }

  /** The baseline measurement, given the factory, request count, time origin and span total. */
  interface Baseline {
    double measure(SpanFactory factory, int requests, long now, long total) throws Exception;
  }

  private String endToEnd(int spans, Baseline baselineRun) throws Exception {
    String runId = UUID.randomUUID().toString().substring(0, 8);
    SpanFactory factory = new SpanFactory(runId);
    int perRequest = tracesPerRequest * SpanFactory.SPANS_PER_TRACE;
    int requests = Math.max(1, spans / perRequest);
    long total = (long) requests * perRequest;
    long now = System.currentTimeMillis() * 1_000_000L;
    System.out.printf(Locale.ROOT, "preparing %d requests of %d spans (%d spans, run %s)%n", requests, perRequest, total, runId);
    List<byte[]> bodies = new ArrayList<>(requests);
    long bytes = 0;
    for (int r = 0; r < requests; r++) {
      byte[] b = factory.request(r + 1, tracesPerRequest, now + r * 1_000_000L);
      bodies.add(b);
      bytes += b.length;
    }

    // ---- end to end: OTLP/HTTP -> receiver -> Kafka -> ingester -> ClickHouse
    double cpu0 = collectorPid > 0 ? CpuClock.cpuSeconds(collectorPid) : Double.NaN;
    long t0 = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    AtomicLong refusals = new AtomicLong();
    ExecutorService senders = Executors.newFixedThreadPool(connections);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      done.add(senders.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < bodies.size()) {
          send(bodies.get(i), refusals);
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    senders.shutdown();
    long tAcked = System.nanoTime();
    String count = "SELECT count() FROM " + database + ".otel_traces WHERE ServiceName = 'bench-" + runId + "'";
    long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
    long visible;
    while ((visible = Long.parseLong(query(count).trim())) < total) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + visible + " of " + total + " spans visible after 15 minutes");
      }
      Thread.sleep(50);
    }
    long tVisible = System.nanoTime();
    double cpu1 = collectorPid > 0 ? CpuClock.cpuSeconds(collectorPid) : Double.NaN;
    long distinct = Long.parseLong(query(count.replace("count()", "uniqExact(TraceId, SpanId)")).trim());
    bodies.clear();

    if (baselineRun == null) {
      return "";
    }
    // ---- baseline: the same rows, RowBinary over HTTP straight into ClickHouse, same parallelism
    double baseline = baselineRun.measure(factory, requests, now, total);

    double e2eSeconds = (tVisible - t0) / 1e9;
    double e2e = total / e2eSeconds;
    double cpu = cpu1 - cpu0;
    return String.join("\n",
        "hoptrace ingest benchmark, " + Instant.now(),
        String.format(Locale.ROOT, "machine          %d cores (%s), %s", Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("os.name") + " " + System.getProperty("os.arch")),
        String.format(Locale.ROOT, "load             %d spans in %d OTLP/HTTP protobuf requests of %d spans (%.1f MB), %d connections",
            total, requests, perRequest, bytes / 1e6, connections),
        String.format(Locale.ROOT, "acknowledged     %.1f s (%.0f spans/s accepted into Kafka), %d refusals retried", (tAcked - t0) / 1e9, total / ((tAcked - t0) / 1e9), refusals.get()),
        String.format(Locale.ROOT, "end to end       %.1f s until all visible in ClickHouse: %.0f spans/s (rows %d, distinct %d)", e2eSeconds, e2e, total, distinct),
        collectorPid > 0 ? String.format(Locale.ROOT, "collector CPU    %.1f CPU-s: %.0f spans per collector CPU-second", cpu, total / cpu) : "collector CPU    (no BENCH_COLLECTOR_PID)",
        String.format(Locale.ROOT, "baseline         ClickHouse RowBinary insert of the same rows: %.0f spans/s", baseline),
        String.format(Locale.ROOT, "ratio            %.2f of the baseline", e2e / baseline));
  }

  private void send(byte[] body, AtomicLong refusals) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(otlpUrl + "/v1/traces")).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    for (int attempt = 0; ; attempt++) {
      HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() == 200) {
        return;
      }
      if ((r.statusCode() == 429 || r.statusCode() == 503) && attempt < 100) {
        refusals.incrementAndGet();
        Thread.sleep(100);
        continue;
      }
      throw new IllegalStateException("the collector answered " + r.statusCode());
    }
  }

  private double baseline(SpanFactory factory, int requests, long now, long total) throws Exception {
    String db = "bench_baseline_" + UUID.randomUUID().toString().substring(0, 8);
    new SchemaMigrator(new ClickHouseSettings(clickHouseUrl, "default", "", db), RetentionConfig.DEFAULT).migrate();
    try {
      // the collector's own converter builds the rows (not timed); inserts of ~20000 rows like its default batches
      List<byte[]> inserts = new ArrayList<>();
      SpanRows rows = new SpanRows();
      int perInsert = Math.max(1, 20_000 / (tracesPerRequest * SpanFactory.SPANS_PER_TRACE));
      for (int r = 0; r < requests; r += perInsert) {
        RowBatch batch = new RowBatch();
        for (int k = r; k < Math.min(requests, r + perInsert); k++) {
          rows.convert(factory.request(k + 1, tracesPerRequest, now + k * 1_000_000L), batch);
        }
        for (RowBinary rb : batch.parts().values()) {
          inserts.add(rb.toByteArray());
        }
      }
      String cols = Table.TRACES.columns().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
      String url = clickHouseUrl + "/?query=" + URLEncoder.encode("INSERT INTO " + db + ".otel_traces (" + cols + ") FORMAT RowBinary", StandardCharsets.UTF_8);
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(connections);
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        done.add(pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < inserts.size()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(inserts.get(i))).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              throw new IllegalStateException("baseline insert failed: " + r.body());
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      pool.shutdown();
      long stored = Long.parseLong(query("SELECT count() FROM " + db + ".otel_traces").trim());
      if (stored != total) {
        throw new IllegalStateException("baseline stored " + stored + " of " + total + " rows");
      }
      return total / seconds;
    } finally {
      query("DROP DATABASE IF EXISTS " + db);
    }
  }

  private String query(String sql) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(clickHouseUrl + "/")).POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("ClickHouse: " + r.body());
    }
    return r.body();
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (java.io.IOException e) {
      return "unknown CPU";
    }
  }
}
