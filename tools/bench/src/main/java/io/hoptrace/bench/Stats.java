package io.hoptrace.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Summary of repeated measurements: median, min, max, and the spread as the half range relative to
 * the median ({@code ±x %}). Percentiles use the nearest-rank method.
 */
public record Stats(double median, double min, double max, int n) {

  public static Stats of(List<Double> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    double[] v = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Stats(median(v), v[0], v[v.length - 1], v.length);
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Nearest-rank percentile ({@code p} in 0..100) of unsorted values. */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int rank = (int) Math.ceil(p / 100.0 * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }

  /** Half the range relative to the median, in percent (0 for a single sample). */
  public double spreadPercent() {
    return median == 0 ? 0 : (max - min) / 2 / Math.abs(median) * 100;
  }

  /** e.g. {@code 61,200 (58,900–63,000, ±3.4 %, n=5)} with the given number format. */
  public String format(String numberFormat) {
    String m = String.format(Locale.ROOT, numberFormat, median);
    if (n == 1) {
      return m + " (n=1)";
    }
    return String.format(Locale.ROOT, "%s (%s–%s, ±%.1f %%, n=%d)", m, String.format(Locale.ROOT, numberFormat, min),
        String.format(Locale.ROOT, numberFormat, max), spreadPercent(), n);
  }
}
