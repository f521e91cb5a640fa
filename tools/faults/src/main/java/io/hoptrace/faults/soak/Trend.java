package io.hoptrace.faults.soak;

import java.util.List;
import java.util.Locale;

/**
 * Whether a memory curve is flat: the run is cut in thirds; the first is warm-up (JIT, caches, Kafka
 * fetch buffers filling) and is ignored; the last third may not exceed the middle one by more than the
 * tolerance. A leak raises every later value, so it shows as the last third above the middle third; a
 * sawtooth that returns to its floor does not.
 *
 * @param relative allowed growth as a share of the middle third's value (0.10: 10 %)
 * @param absoluteMiB allowed growth on top of that, for small values
 */
public record Trend(double relative, long absoluteMiB) {
  /** A point of a curve: seconds since the soak began, a value in MiB. */
  public record Point(double seconds, double valueMiB) {}

  /** The verdict: flat or not, with the two figures compared. */
  public record Verdict(boolean flat, double middle, double last, double allowed, String detail) {}

  /**
   * Judges by the lowest value of each third: for heap after full GC, the live data.
   */
  public Verdict byFloor(List<Point> points, double runSeconds) {
    return judge(points, runSeconds, true);
  }

  /** Judges by the mean of each third: for RSS, which a process rarely gives back. */
  public Verdict byMean(List<Point> points, double runSeconds) {
    return judge(points, runSeconds, false);
  }

  private Verdict judge(List<Point> points, double runSeconds, boolean floor) {
    double a = runSeconds / 3;
    double b = 2 * runSeconds / 3;
    double[] middle = points.stream().filter(p -> p.seconds() >= a && p.seconds() < b).mapToDouble(Point::valueMiB).toArray();
    double[] last = points.stream().filter(p -> p.seconds() >= b).mapToDouble(Point::valueMiB).toArray();
    if (middle.length == 0 || last.length == 0) {
      return new Verdict(false, 0, 0, 0, "not enough points: " + middle.length + " in the middle third, " + last.length + " in the last");
    }
    double m = floor ? java.util.Arrays.stream(middle).min().orElseThrow() : java.util.Arrays.stream(middle).average().orElseThrow();
    double l = floor ? java.util.Arrays.stream(last).min().orElseThrow() : java.util.Arrays.stream(last).average().orElseThrow();
    double allowed = m * (1 + relative) + absoluteMiB;
    String what = floor ? "lowest" : "mean";
    return new Verdict(l <= allowed, m, l, allowed, String.format(Locale.ROOT, "%s of the last third %.0f MiB, of the middle third %.0f MiB, allowed %.0f MiB",
        what, l, m, allowed));
  }
}
