package io.hoptrace.faults.soak;

import java.time.Duration;

/**
 * How the soak loads the system and how it judges it, fixed here before any run (a bound is never
 * chosen after seeing a result).
 *
 * @param duration how long the steady load runs
 * @param telemetryShare the share of the end-to-end ingest capacity measured at the start of the run
 *     (under the steady order load) that the steady telemetry load uses
 * @param orderShare the share of the order capacity measured at the start of the run that the steady
 *     order load uses
 * @param sampleEvery how often RSS, heap, lag and latency are sampled
 * @param fullGcEvery how often each of our JVMs is asked for a full collection ({@code jcmd GC.run}),
 *     whose result is the heap figure judged
 * @param heap the bound on the heap after full GC: the last third of the run against the middle third
 * @param rss the bound on the RSS of our JVMs, the same way
 * @param drain how long the ingester may take to catch up once the load stops (lag back to zero)
 */
public record SoakPlan(Duration duration, double telemetryShare, double orderShare, Duration sampleEvery, Duration fullGcEvery,
    Trend heap, Trend rss, Duration drain) {

  /** Spans per OTLP request: 100 whole five-span traces, as the fault suite's other telemetry loads send. */
  public static final int TRACES_PER_REQUEST = 100;

  /**
   * The plan for a soak of {@code duration}: half of each capacity, both measured at the start of the
   * same run on the same machine (a figure from another day or another machine would be a guess): orders
   * at half the confirmed orders per second of 16 clients; telemetry at half the spans per second at
   * which a fixed backlog, exported at once, reached ClickHouse, with the steady orders running.
   * Heap after full GC may grow by 10 % + 16 MiB from the
   * middle to the last third (a leak of a few KiB per order would pass the first minutes but not this);
   * RSS by 10 % + 48 MiB (the JVM keeps pages it touched once; code cache and metaspace settle late).
   */
  public static SoakPlan of(Duration duration) {
    if (duration.compareTo(Duration.ofMinutes(3)) < 0) {
      throw new IllegalArgumentException("a soak needs at least 3 minutes (thirds of a minute each), not " + duration.toSeconds() + " s");
    }
    return new SoakPlan(duration, 0.5, 0.5, Duration.ofSeconds(10), Duration.ofSeconds(60), new Trend(0.10, 16), new Trend(0.10, 48),
        Duration.ofMinutes(3));
  }

  /** Telemetry requests per second for a measured capacity of {@code spansPerSecond}. */
  public double requestsPerSecond(double capacitySpansPerSecond) {
    return Math.max(0.1, capacitySpansPerSecond * telemetryShare / (TRACES_PER_REQUEST * 5.0));
  }
}
