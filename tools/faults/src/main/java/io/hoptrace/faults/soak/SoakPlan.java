package io.hoptrace.faults.soak;

import java.time.Duration;

/**
 * How the soak loads the system and how it judges it, fixed here before any run (a bound is never
 * chosen after seeing a result).
 *
 * @param duration how long the steady load runs
 * @param spansPerSecond telemetry sent to the receiver besides the services' own
 * @param orderShare the share of the order capacity measured at the start of the run that the steady
 *     order load uses
 * @param sampleEvery how often RSS, heap, lag and latency are sampled
 * @param fullGcEvery how often each of our JVMs is asked for a full collection ({@code jcmd GC.run}),
 *     whose result is the heap figure judged
 * @param heap the bound on the heap after full GC: the last third of the run against the middle third
 * @param rss the bound on the RSS of our JVMs, the same way
 * @param drain how long the ingester may take to catch up once the load stops (lag back to zero)
 */
public record SoakPlan(Duration duration, double spansPerSecond, double orderShare, Duration sampleEvery, Duration fullGcEvery,
    Trend heap, Trend rss, Duration drain) {

  /** Spans per OTLP request: 100 whole five-span traces, as the fault suite's other telemetry loads send. */
  public static final int TRACES_PER_REQUEST = 100;

  /**
   * The plan for a soak of {@code duration}. Orders at half the order capacity measured at the start of
   * the run; telemetry at 15,000 spans/s, a quarter of the sustained end-to-end ingest rate the
   * benchmarks measured on this kind of machine (63,236 spans/s), because the orders' own pipeline work
   * takes the other quarter of "half the machine". Heap after full GC may grow by 10 % + 16 MiB from the
   * middle to the last third (a leak of a few KiB per order would pass the first minutes but not this);
   * RSS by 10 % + 48 MiB (the JVM keeps pages it touched once; code cache and metaspace settle late).
   */
  public static SoakPlan of(Duration duration) {
    if (duration.compareTo(Duration.ofMinutes(3)) < 0) {
      throw new IllegalArgumentException("a soak needs at least 3 minutes (thirds of a minute each), not " + duration.toSeconds() + " s");
    }
    return new SoakPlan(duration, 15_000, 0.5, Duration.ofSeconds(10), Duration.ofSeconds(60), new Trend(0.10, 16), new Trend(0.10, 48),
        Duration.ofMinutes(3));
  }

  /** Telemetry requests per second. */
  public double requestsPerSecond() {
    return spansPerSecond / (TRACES_PER_REQUEST * 5.0);
  }
}
