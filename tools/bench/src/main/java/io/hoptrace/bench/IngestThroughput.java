package io.hoptrace.bench;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.load.otlp.OtlpSender;
import io.hoptrace.load.otlp.SpanFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark 1, ingestion throughput: realistic span batches as OTLP/HTTP protobuf over several
 * connections to the collector; the clock stops when every span is visible in ClickHouse. In the
 * same run, alternating with it, the baseline: ClickHouse inserting the very same rows in RowBinary
 * over HTTP with nothing in front of it, in inserts of the collector's batch size, over the same
 * number of connections. The rows are the ones the collector just wrote, read back from ClickHouse
 * (not timed) in the order they were sent: the benchmark drives the system from outside and links
 * nothing of the collector.
 */
final class IngestThroughput {

  record Options(long spans, int connections, int repeats, boolean profile, int batchRows) {}

  /** One measured repetition. */
  record Run(double endToEnd, double baseline, double acked, ProcStat.CpuMeter cpu, double loadBefore, long spans, ProcStat.CpuMeter baselineCpu) {
    double ratio() {
      return endToEnd / baseline;
    }

    double collectorSpansPerCpuSecond() {
      return spans / cpu.used("collector");
    }

    boolean disturbed() {
      return cpu.othersShare() > Quiet.MAX_OTHERS_SHARE || baselineCpu.othersShare() > Quiet.MAX_OTHERS_SHARE;
    }
  }

  private static long clean(List<Run> runs) {
    return runs.stream().filter(r -> !r.disturbed()).count();
  }

  /** The runs the figures come from: the undisturbed ones, or all of them when fewer than two were. */
  private static List<Run> used(List<Run> runs) {
    List<Run> c = runs.stream().filter(r -> !r.disturbed()).toList();
    return c.size() >= 2 ? c : runs;
  }

  record Outcome(Report.Section section, List<Run> runs, long peakRssBytes, double medianEndToEnd) {}

  private final BenchStack stack;
  private final Options options;
  private final Console console;
  private final ClickHouseHttp ch;
  /** The profile's share of GC and VM threads in the collector's CPU samples (with --profile), else NaN. */
  private double gcAndVmPercent = Double.NaN;

  IngestThroughput(BenchStack stack, Options options, Console console) {
    this.stack = stack;
    this.options = options;
    this.console = console;
    this.ch = new ClickHouseHttp(stack.clickHouseUrl());
  }

  Outcome run() throws Exception {
    List<Run> runs = new ArrayList<>();
    List<SmallRun> smallRuns = new ArrayList<>();
    List<String> details = new ArrayList<>();
    long peakRss;
    try (JvmInstance collector = stack.startCollector(Map.of());
        RssSampler rss = new RssSampler(collector.pid(), 250)) {
      // a fresh JVM compiles for a long time (the profile showed C2 at 21 % of the collector's CPU after a warm-up of a third of a
      // run): warm up with two runs' worth, so the figures are those of a collector that has been running for a while
      long warm = Math.max(100_000, 2 * options.spans());
      console.step(String.format(Locale.ROOT, "ingest: warm-up with %,d spans (not measured: JIT compilation of a fresh collector)", warm));
      endToEnd(collector, warm, null);
      // a run that other processes disturbed (they used more than a tenth of the machine during the end-to-end
      // run or the baseline) is measured again, up to three extra times; disturbed runs are listed, not used
      int attempts = 0;
      for (int r = 1; clean(runs) < options.repeats() && attempts < options.repeats() + 3; r++) {
        attempts++;
        Quiet.await(console, ch);
        double load = ProcStat.loadAverage();
        String runId = UUID.randomUUID().toString().substring(0, 8);
        SpanFactory f = new SpanFactory(runId, System.currentTimeMillis() * 1_000_000L);
        E2e e2e = endToEnd(collector, options.spans(), f);
        Quiet.await(console, ch);
        ProcStat.CpuMeter baselineCpu = new ProcStat.CpuMeter(pids(collector));
        double baseline = baseline(e2e.rows(), e2e.spans(), baselineCpu);
        Run run = new Run(e2e.spansPerSecond, baseline, e2e.acked, e2e.cpu, load, e2e.spans, baselineCpu);
        runs.add(run);
        console.step(String.format(Locale.ROOT, "ingest run %d (%d clean of %d wanted): end to end %,.0f spans/s, baseline %,.0f spans/s, ratio %.2f, "
                + "%,.0f spans per collector CPU-s, load average %.2f before, other processes %.1f CPU-s (baseline: %.1f CPU-s)",
            r, clean(runs), options.repeats(), run.endToEnd(), run.baseline(), run.ratio(), run.collectorSpansPerCpuSecond(), load, e2e.cpu.others(),
            baselineCpu.others()) + (run.disturbed() ? ": disturbed, measured again" : ""));
      }
      for (int r = 1; r <= Math.min(3, options.repeats()); r++) {
        Quiet.await(console, ch);
        SmallRun small = smallSpans(collector, Duration.ofSeconds(30));
        smallRuns.add(small);
        console.step(String.format(Locale.ROOT, "ingest, second workload %d: %,d requests of %d small spans in %.0f s, %,.0f spans per collector CPU-s"
                + " (%.0f bytes per span), other processes %.1f CPU-s", r, small.requests(), SmallSpans.SPANS_PER_REQUEST, small.seconds(),
            small.spansPerCpuSecond(), small.bytesPerSpan(), small.cpu().others()));
      }
      if (options.profile()) {
        Quiet.await(console, ch);
        Profiler profiler = Profiler.unpack(stack.workDir().resolve("profiler"));
        SpanFactory f = new SpanFactory(UUID.randomUUID().toString().substring(0, 8), System.currentTimeMillis() * 1_000_000L);
        profiler.start(collector.pid());
        endToEnd(collector, options.spans(), f);
        Path out = profiler.stop(collector.pid(), stack.workDir().resolve("collector-profile.collapsed"));
        Profiler.Summary s = Profiler.summarise(out);
        gcAndVmPercent = s.percentByCategory().getOrDefault("GC and VM threads", 0.0);
        console.step("ingest: profile of the collector (" + s.samples() + " samples, " + out + "):\n" + s.format()
            + "top frames (self):\n  " + String.join("\n  ", s.topSelfFrames()));
        details.add("");
        details.add(String.format(Locale.ROOT, "Profile of the collector during an extra (unmeasured) run, async-profiler cpu, %,d samples:", s.samples()));
        details.add("");
        details.add("```");
        details.add(s.format().stripTrailing());
        details.add("```");
      }
      peakRss = rss.peakBytes();
    }
    return new Outcome(section(runs, smallRuns, details), runs, peakRss, Stats.of(used(runs).stream().map(Run::endToEnd).toList()).median());
  }

  /** One run of the second workload. */
  record SmallRun(long requests, long spans, double seconds, double bytesPerSpan, ProcStat.CpuMeter cpu) {
    double spansPerCpuSecond() {
      return spans / cpu.used("collector");
    }
  }

  /**
   * The second workload for {@code duration}: closed-loop requests of small spans with fresh trace ids,
   * then until every span is visible; the collector's CPU over all of it.
   */
  private SmallRun smallSpans(JvmInstance collector, Duration duration) throws Exception {
    SmallSpans f = new SmallSpans("bench-small-" + UUID.randomUUID().toString().substring(0, 8), System.currentTimeMillis() * 1_000_000L);
    OtlpSender sender = new OtlpSender(collector.url(), options.connections());
    ProcStat.CpuMeter cpu = new ProcStat.CpuMeter(pids(collector)).start();
    long t0 = System.nanoTime();
    long requests = 0;
    long chunk = 50L * options.connections();
    while (System.nanoTime() - t0 < duration.toNanos()) {
      long first = requests;
      OtlpSender.Result sent = sender.send(chunk, seq -> f.request(first + seq), seq -> SmallSpans.SPANS_PER_REQUEST, 0, true);
      if (sent.failures() > 0) {
        throw new IllegalStateException("the collector refused small-span requests for good: " + sent.statuses());
      }
      requests += chunk;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long total = requests * SmallSpans.SPANS_PER_REQUEST;
    String count = "SELECT count() FROM " + stack.database() + ".otel_traces WHERE ServiceName = '" + f.serviceName() + "'";
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    long visible;
    while ((visible = ch.count(count)) < total) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + visible + " of " + total + " small spans visible after 10 minutes");
      }
      Thread.sleep(50);
    }
    cpu.stop();
    if (visible != total) {
      throw new IllegalStateException("expected " + total + " small spans, ClickHouse has " + visible + " rows");
    }
    double bytesPerSpan = (double) f.request(1).length / SmallSpans.SPANS_PER_REQUEST;
    ch.query("TRUNCATE TABLE " + stack.database() + ".otel_traces");
    ch.query("TRUNCATE TABLE " + stack.database() + ".otel_traces_trace_id_ts");
    return new SmallRun(requests, total, seconds, bytesPerSpan, cpu);
  }

  /** One end-to-end run; {@code rows}: its rows read back for the baseline (measured runs only). */
  private record E2e(double spansPerSecond, double acked, ProcStat.CpuMeter cpu, long spans, long requests, List<byte[]> rows) {}

  private E2e endToEnd(JvmInstance collector, long spans, SpanFactory given) throws Exception {
    SpanFactory f = given != null ? given : new SpanFactory(UUID.randomUUID().toString().substring(0, 8), System.currentTimeMillis() * 1_000_000L);
    long requests = Math.max(2, Math.round((double) spans / SpanFactory.SPANS_PER_REQUEST));
    long total = f.spansIn(requests);
    OtlpSender sender = new OtlpSender(collector.url(), options.connections());
    ProcStat.CpuMeter cpu = new ProcStat.CpuMeter(pids(collector));
    String count = "SELECT count() FROM " + stack.database() + ".otel_traces WHERE ServiceName LIKE '" + f.servicePrefix() + "%'";
    cpu.start();
    OtlpSender.Result sent = sender.send(requests, f::request, f::spans, 0, true);
    if (sent.failures() > 0 || sent.spans() != total) {
      throw new IllegalStateException("the collector refused requests for good: " + sent.statuses());
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
    long visible;
    while ((visible = ch.count(count)) < total) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + visible + " of " + total + " spans visible after 15 minutes");
      }
      Thread.sleep(50);
    }
    cpu.stop();
    long distinct = ch.count(count.replace("count()", "uniqExact(TraceId, SpanId)"));
    if (visible != total || distinct != total) {
      throw new IllegalStateException("expected " + total + " spans, ClickHouse has " + visible + " rows, " + distinct + " distinct");
    }
    List<byte[]> rows = List.of();
    if (given != null) {
      rows = readBack(f, requests);
      // the next run starts from an empty table, like the baseline's
      ch.query("TRUNCATE TABLE " + stack.database() + ".otel_traces");
      ch.query("TRUNCATE TABLE " + stack.database() + ".otel_traces_trace_id_ts");
    }
    return new E2e(total / cpu.wallSeconds(), total / sent.seconds(), cpu, total, requests, rows);
  }

  /**
   * The run's rows as the collector stored them, in RowBinary, one insert per batch of whole requests
   * up to the collector's batch size (as the collector batches them), in the order they were sent (a
   * request's span ids start with its sequence number): what the baseline inserts.
   */
  private List<byte[]> readBack(SpanFactory f, long requests) {
    String table = stack.database() + ".otel_traces";
    List<byte[]> inserts = new ArrayList<>();
    long first = 1;
    int rows = 0;
    for (long seq = 1; seq <= requests; seq++) {
      rows += f.spans(seq);
      if (rows + SpanFactory.SPANS_PER_REQUEST > options.batchRows() || seq == requests) {
        inserts.add(ch.queryBytes("SELECT " + columns() + " FROM " + table + " WHERE ServiceName LIKE '" + f.servicePrefix() + "%'"
            + " AND SpanId >= '" + SpanFactory.firstSpanIdOf(first) + "' AND SpanId < '" + SpanFactory.firstSpanIdOf(seq + 1) + "'"
            + " ORDER BY SpanId FORMAT RowBinary"));
        first = seq + 1;
        rows = 0;
      }
    }
    return inserts;
  }

  /** The columns an insert fills (all but ALIAS and MATERIALIZED ones; Nested ones flattened), in table order, quoted. */
  private String columns() {
    return String.join(", ", ch.query("SELECT name FROM system.columns WHERE database = '" + stack.database()
        + "' AND table = 'otel_traces' AND default_kind = '' ORDER BY position").lines().map(c -> "`" + c + "`").toList());
  }

  private Map<String, Long> pids(JvmInstance collector) {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("collector", collector.pid());
    pids.put("kafka", stack.kafkaPid());
    pids.put("clickhouse", stack.clickHousePid());
    pids.put("load generator", ProcessHandle.current().pid());
    return pids;
  }

  /** The same rows straight into ClickHouse: read back beforehand (not timed), then inserted over the same connections. */
  private double baseline(List<byte[]> inserts, long total, ProcStat.CpuMeter cpu) throws Exception {
    String db = "bench_baseline_" + UUID.randomUUID().toString().substring(0, 8);
    new SchemaMigrator(new ClickHouseSettings(stack.clickHouseUrl(), "default", "", db), RetentionConfig.DEFAULT).migrate();
    try {
      String cols = columns();
      String table = db + ".otel_traces";
      ch.awaitNoMerges(Duration.ofSeconds(60));
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(options.connections());
      cpu.start();
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < options.connections(); c++) {
        done.add(pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < inserts.size()) {
            ch.insertRowBinary(table, cols, inserts.get(i));
          }
          return null;
        }));
      }
      for (Future<?> d : done) {
        d.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      cpu.stop();
      pool.shutdown();
      long stored = ch.count("SELECT count() FROM " + table);
      if (stored != total) {
        throw new IllegalStateException("baseline stored " + stored + " of " + total + " rows");
      }
      return total / seconds;
    } finally {
      ch.query("DROP DATABASE IF EXISTS " + db + " SYNC");
    }
  }

  private Report.Section section(List<Run> all, List<SmallRun> small, List<String> profile) {
    List<Run> runs = used(all);
    Stats e2e = Stats.of(runs.stream().map(Run::endToEnd).toList());
    Stats base = Stats.of(runs.stream().map(Run::baseline).toList());
    Stats ratio = Stats.of(runs.stream().map(Run::ratio).toList());
    Stats perCpu = Stats.of(runs.stream().map(Run::collectorSpansPerCpuSecond).toList());
    Stats acked = Stats.of(runs.stream().map(Run::acked).toList());
    List<Report.Row> rows = List.of(
        new Report.Row("end to end (spans visible in ClickHouse per second)", e2e.format("%,.0f"), base.format("%,.0f") + " spans/s",
            ratio.format("%.2f"), "ratio ≥ " + Goals.END_TO_END_RATIO, ratio.median() >= Goals.END_TO_END_RATIO),
        new Report.Row("spans per collector CPU-second", perCpu.format("%,.0f"), "", "", String.format(Locale.ROOT, "≥ %,.0f", Goals.SPANS_PER_COLLECTOR_CPU_SECOND),
            perCpu.median() >= Goals.SPANS_PER_COLLECTOR_CPU_SECOND),
        Report.Row.info("accepted by the receiver (acknowledged into Kafka) per second", acked.format("%,.0f")));
    rows = new ArrayList<>(rows);
    Map<String, List<Double>> raw = new LinkedHashMap<>();
    raw.put("end to end spans/s", runs.stream().map(Run::endToEnd).toList());
    raw.put("baseline spans/s", runs.stream().map(Run::baseline).toList());
    raw.put("spans per collector CPU-second", runs.stream().map(Run::collectorSpansPerCpuSecond).toList());
    if (!small.isEmpty()) {
      Stats smallPerCpu = Stats.of(small.stream().map(SmallRun::spansPerCpuSecond).toList());
      rows.add(new Report.Row(String.format(Locale.ROOT, "second workload (%d small spans per request, fresh trace ids): spans per collector CPU-second",
          SmallSpans.SPANS_PER_REQUEST), smallPerCpu.format("%,.0f"), "", "", String.format(Locale.ROOT, "≥ %,.0f", Goals.SMALL_SPANS_PER_COLLECTOR_CPU_SECOND),
          smallPerCpu.median() >= Goals.SMALL_SPANS_PER_COLLECTOR_CPU_SECOND));
      raw.put("second workload spans per collector CPU-second", small.stream().map(SmallRun::spansPerCpuSecond).toList());
    }
    if (!Double.isNaN(gcAndVmPercent)) {
      rows.add(new Report.Row("GC and VM threads, share of the collector's CPU samples (the profiled run)", String.format(Locale.ROOT, "%.1f %%", gcAndVmPercent),
          "", "", String.format(Locale.ROOT, "≤ %.0f %%", Goals.GC_AND_VM_SHARE * 100), gcAndVmPercent <= Goals.GC_AND_VM_SHARE * 100));
      raw.put("GC and VM share of collector CPU samples %", List.of(gcAndVmPercent));
    }
    List<String> method = List.of(
        String.format(Locale.ROOT, "%,d spans per run as OTLP/HTTP protobuf requests of %d spans (the five-span order trace of the services, "
                + "order's and inventory's spans in separate requests like their SDK batches, ~370 bytes per span) over %d connections to a "
                + "fresh collector (receiver + ingester, self-metrics off, warmed up with two runs' worth of spans first). The clock runs from the "
                + "first request until every span is visible in `otel_traces` (polled every 50 ms); rows and distinct (TraceId, SpanId) are checked. "
                + "Baseline, alternating with it: the same rows (the ones the collector stored, read back from ClickHouse beforehand in the "
                + "order they were sent), inserted by ClickHouse itself in RowBinary over HTTP in inserts of up to %,d rows (the "
                + "collector's batch size) over the same %d connections into a fresh copy of the schema. "
                + "Spans per collector CPU-second: the collector process's CPU time (user + system, /proc) over the end-to-end run.",
            options.spans(), SpanFactory.SPANS_PER_REQUEST, options.connections(), options.batchRows(), options.connections()));
    List<String> details = new ArrayList<>();
    details.add("Each run, with the CPU time every process used during the end-to-end measurement (µs per span), and the load "
        + "average before it; for the baseline, ClickHouse's CPU per span. \"others\" is the CPU of processes that are not part of the benchmark (the noise).");
    details.add("");
    long disturbed = all.size() - clean(all);
    details.add(String.format(Locale.ROOT, "%d runs, %d of them disturbed (other processes used more than %.0f %% of the machine during the "
        + "end-to-end run or the baseline)%s.", all.size(), disturbed, Quiet.MAX_OTHERS_SHARE * 100,
        disturbed == 0 ? "" : runs.size() == all.size() ? " and used anyway (too few undisturbed ones)" : " and left out of the figures"));
    details.add("");
    details.add("| run | end to end | baseline | ratio | spans/collector CPU-s | collector µs/span | Kafka µs/span | ClickHouse µs/span | load generator µs/span | others CPU-s | baseline: ClickHouse µs/span | baseline: others CPU-s | load avg before |");
    details.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    int i = 1;
    for (Run r : all) {
      double n = r.spans() / 1e6;
      details.add(String.format(Locale.ROOT, "| %d%s | %,.0f | %,.0f | %.2f | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |", i++, r.disturbed() ? " (disturbed)" : "",
          r.endToEnd(), r.baseline(), r.ratio(), r.collectorSpansPerCpuSecond(), r.cpu().used("collector") / n, r.cpu().used("kafka") / n,
          r.cpu().used("clickhouse") / n, r.cpu().used("load generator") / n, r.cpu().others(), r.baselineCpu().used("clickhouse") / n,
          r.baselineCpu().others(), r.loadBefore()));
    }
    if (!small.isEmpty()) {
      details.add("");
      details.add(String.format(Locale.ROOT, "Second workload: 30 s of closed-loop requests of %d spans (%d traces with fresh random ids per request, "
          + "%.0f bytes per span on the wire) over %d connections, then until every span is visible; the collector's CPU over all of it.",
          SmallSpans.SPANS_PER_REQUEST, SmallSpans.TRACES_PER_REQUEST, small.get(0).bytesPerSpan(), options.connections()));
      details.add("");
      details.add("| run | requests | spans | spans/collector CPU-s | collector µs/span | Kafka µs/span | ClickHouse µs/span | others CPU-s |");
      details.add("|---|---|---|---|---|---|---|---|");
      int k = 1;
      for (SmallRun r : small) {
        double n = r.spans() / 1e6;
        details.add(String.format(Locale.ROOT, "| %d | %,d | %,d | %,.0f | %.1f | %.1f | %.1f | %.1f |", k++, r.requests(), r.spans(), r.spansPerCpuSecond(),
            r.cpu().used("collector") / n, r.cpu().used("kafka") / n, r.cpu().used("clickhouse") / n, r.cpu().others()));
      }
    }
    details.addAll(profile);
    return new Report.Section("1. Ingestion throughput", method, rows, details, raw);
  }
}
