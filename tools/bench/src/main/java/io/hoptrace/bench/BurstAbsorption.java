package io.hoptrace.bench;

import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.load.otlp.OtlpSender;
import io.hoptrace.load.otlp.SpanFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 2, burst absorption: for 30 s, requests are offered at 5× the sustained end-to-end rate
 * (benchmark 1's median in the same run) on a fixed schedule over many connections; refusals are not
 * retried but counted. Kafka lag (records not yet confirmed in ClickHouse) and the backlog in spans
 * are sampled every 250 ms until everything is visible; spans acknowledged must equal spans stored.
 */
final class BurstAbsorption {
  record Options(double sustainedSpansPerSecond, double factor, Duration burst, int connections, int repeats) {}

  record Run(double offered, double accepted, long sent, long acked, long refused, long stored, long distinct, long peakLag,
      long peakBacklogSpans, double drainSeconds, double loadBefore) {}

  record Outcome(Report.Section section, long peakRssBytes) {}

  private final BenchStack stack;
  private final Options options;
  private final Console console;
  private final ClickHouseHttp ch;

  BurstAbsorption(BenchStack stack, Options options, Console console) {
    this.stack = stack;
    this.options = options;
    this.console = console;
    this.ch = new ClickHouseHttp(stack.clickHouseUrl());
  }

  Outcome run() throws Exception {
    List<Run> runs = new ArrayList<>();
    long peakRss;
    try (JvmInstance collector = stack.startCollector(Map.of());
        RssSampler rss = new RssSampler(collector.pid(), 250);
        KafkaLag lag = new KafkaLag(stack.kafkaBootstrapServers(), "otlp_spans", "hoptrace-ingester-traces")) {
      console.step("burst: warm-up with 100,000 spans (not measured)");
      SpanFactory w = new SpanFactory(UUID.randomUUID().toString().substring(0, 8), System.currentTimeMillis() * 1_000_000L);
      new OtlpSender(collector.url(), 4).send(200, w::request, w::spans, 0, true);
      for (int r = 1; r <= options.repeats(); r++) {
        Quiet.await(console, ch);
        while (lag.lag() > 0) {
          Thread.sleep(200);
        }
        runs.add(burst(collector, lag, r));
      }
      peakRss = rss.peakBytes();
    }
    return new Outcome(section(runs), peakRss);
  }

  private Run burst(JvmInstance collector, KafkaLag lag, int r) throws Exception {
    double load = ProcStat.loadAverage();
    SpanFactory f = new SpanFactory(UUID.randomUUID().toString().substring(0, 8), System.currentTimeMillis() * 1_000_000L);
    double offered = options.sustainedSpansPerSecond() * options.factor();
    double rps = offered / SpanFactory.SPANS_PER_REQUEST;
    long requests = Math.max(1, Math.round(rps * options.burst().toSeconds()));
    String count = "SELECT count() FROM " + stack.database() + ".otel_traces WHERE ServiceName LIKE '" + f.servicePrefix() + "%'";
    AtomicLong peakLag = new AtomicLong();
    AtomicLong peakBacklog = new AtomicLong();
    AtomicLong ackedSoFar = new AtomicLong();
    // the sampler: Kafka lag, and spans acknowledged but not yet visible
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          peakLag.accumulateAndGet(lag.lag(), Math::max);
          peakBacklog.accumulateAndGet(ackedSoFar.get() - ch.count(count), Math::max);
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // a slow answer under load: the next sample counts
        }
      }
    }, "burst-sampler");
    sampler.setDaemon(true);
    sampler.start();
    console.step(String.format(Locale.ROOT, "burst %d/%d: offering %,.0f spans/s (%.0f× the sustained %,.0f) for %d s over %d connections",
        r, options.repeats(), offered, options.factor(), options.sustainedSpansPerSecond(), options.burst().toSeconds(), options.connections()));
    OtlpSender.Result sent = new OtlpSender(collector.url(), options.connections())
        .send(requests, seq -> f.request(seq), seq -> {
          int n = f.spans(seq);
          return n;
        }, rps, false);
    ackedSoFar.set(sent.spans());
    long end = System.nanoTime();
    long deadline = end + Duration.ofMinutes(15).toNanos();
    long stored;
    while ((stored = ch.count(count)) < sent.spans() || lag.lag() > 0) {
      if (System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(100);
    }
    double drain = (System.nanoTime() - end) / 1e9;
    sampler.interrupt();
    sampler.join(5000);
    long distinct = ch.count(count.replace("count()", "uniqExact(TraceId, SpanId)"));
    long total = f.spansIn(requests);
    Run run = new Run(offered, sent.spans() / sent.seconds(), total, sent.spans(), requests - sent.requests(), stored, distinct,
        peakLag.get(), peakBacklog.get(), drain, load);
    console.step(String.format(Locale.ROOT, "burst %d: accepted %,.0f spans/s, %,d of %,d requests refused (%s), peak lag %,d records "
            + "(%,d spans not yet visible), drained %.1f s after the burst, acknowledged %,d, stored %,d (distinct %,d)",
        r, run.accepted(), run.refused(), requests, sent.statuses(), run.peakLag(), run.peakBacklogSpans(), drain, run.acked(), stored, distinct));
    ch.query("TRUNCATE TABLE " + stack.database() + ".otel_traces");
    ch.query("TRUNCATE TABLE " + stack.database() + ".otel_traces_trace_id_ts");
    return run;
  }

  private Report.Section section(List<Run> runs) {
    Stats accepted = Stats.of(runs.stream().map(Run::accepted).toList());
    Stats peakLag = Stats.of(runs.stream().map(r -> (double) r.peakLag()).toList());
    Stats backlog = Stats.of(runs.stream().map(r -> (double) r.peakBacklogSpans()).toList());
    Stats drain = Stats.of(runs.stream().map(Run::drainSeconds).toList());
    long refused = runs.stream().mapToLong(Run::refused).sum();
    boolean allStored = runs.stream().allMatch(r -> r.stored() == r.acked() && r.distinct() == r.acked());
    boolean lagDrained = runs.stream().allMatch(r -> r.peakLag() > 0 && r.drainSeconds() < 15 * 60);
    double offered = runs.get(0).offered();
    List<Report.Row> rows = List.of(
        new Report.Row("requests refused (non-2xx) during the burst", Long.toString(refused) + " of all runs' requests", "", "", "0", refused == 0),
        new Report.Row("spans acknowledged vs stored in ClickHouse", runs.stream().map(r -> String.format(Locale.ROOT, "%,d / %,d", r.acked(), r.stored()))
            .reduce((a, b) -> a + "; " + b).orElse(""), "", "", "equal, no duplicates", allStored),
        new Report.Row("Kafka lag rises, then drains", "peak " + peakLag.format("%,.0f") + " records", "", "", "drains to 0", lagDrained),
        Report.Row.info("offered rate", String.format(Locale.ROOT, "%,.0f spans/s (%.0f× the sustained end-to-end rate %,.0f)", offered, options.factor(),
            options.sustainedSpansPerSecond())),
        Report.Row.info("accepted by the receiver", accepted.format("%,.0f") + " spans/s"),
        Report.Row.info("peak backlog (acknowledged, not yet visible)", backlog.format("%,.0f") + " spans"),
        Report.Row.info("drain time after the burst", drain.format("%.1f") + " s"));
    List<String> details = new ArrayList<>();
    details.add("| run | offered spans/s | accepted spans/s | sending took (s) | requests refused | peak lag (records) | peak backlog (spans) | drain (s) | acknowledged | stored | distinct | load avg before |");
    details.add("|---|---|---|---|---|---|---|---|---|---|---|---|");
    int i = 1;
    for (Run r : runs) {
      details.add(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.1f | %,d | %,d | %,d | %.1f | %,d | %,d | %,d | %.2f |", i++, r.offered(),
          r.accepted(), r.acked() / r.accepted(), r.refused(), r.peakLag(), r.peakBacklogSpans(), r.drainSeconds(), r.acked(), r.stored(), r.distinct(), r.loadBefore()));
    }
    return new Report.Section("2. Burst absorption", List.of(String.format(Locale.ROOT,
        "A fresh collector (warmed up) is offered %.0f× the sustained end-to-end rate of benchmark 1 for %d s: requests of %d spans on a fixed "
            + "schedule over %d connections (a request is sent when due or as soon as a connection is free), refusals counted and not retried. "
            + "Every 250 ms: the ingester group's lag on `otlp_spans` (records not yet confirmed by ClickHouse) and the spans acknowledged but "
            + "not yet visible. Drain time: from the end of the burst until every acknowledged span is visible and the lag is 0.",
        options.factor(), options.burst().toSeconds(), SpanFactory.SPANS_PER_REQUEST, options.connections())), rows, details);
  }
}
