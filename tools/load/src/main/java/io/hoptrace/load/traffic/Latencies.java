package io.hoptrace.load.traffic;

import java.util.Arrays;

/** Latencies recorded from many threads, in microseconds; percentiles of all or of those since a mark. */
public final class Latencies {
  private long[] values = new long[1024];
  private int size;

  public synchronized void record(long micros) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = micros;
  }

  public synchronized int count() {
    return size;
  }

  /** The values recorded from index {@code from} on, sorted. */
  public synchronized long[] sortedSince(int from) {
    long[] out = Arrays.copyOfRange(values, Math.min(from, size), size);
    Arrays.sort(out);
    return out;
  }

  /** Nearest-rank percentile ({@code p} in 0..100) of sorted values; -1 when there are none. */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
