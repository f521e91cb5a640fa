package io.hoptrace.faults.soak;

import java.util.Arrays;

/**
 * The latencies of one kind of request since the last sample: recorded from the load's threads, drained
 * by the sampler every interval into a count and its percentiles.
 */
public final class LatencyWindow {
  /** One interval's requests: how many, and their p50 and p99 in milliseconds (0 when there were none). */
  public record Stats(long count, double p50Millis, double p99Millis) {}

  private long[] nanos = new long[1024];
  private int size;

  public synchronized void record(long latencyNanos) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = latencyNanos;
  }

  /** The interval's figures; starts the next interval. */
  public Stats drain() {
    long[] taken;
    synchronized (this) {
      taken = Arrays.copyOf(nanos, size);
      size = 0;
    }
    return stats(taken);
  }

  static Stats stats(long[] latencies) {
    if (latencies.length == 0) {
      return new Stats(0, 0, 0);
    }
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new Stats(sorted.length, percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
  }

  /** The nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
