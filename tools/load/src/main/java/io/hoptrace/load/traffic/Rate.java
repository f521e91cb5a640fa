package io.hoptrace.load.traffic;

import java.util.Locale;

/**
 * A steady rate of requests, e.g. {@code 50/s}: request {@code n} (from 0) is due {@link #dueNanos}
 * after the start, so a late tick is caught up and the rate holds on average (open loop).
 */
public record Rate(double perSecond) {
  /** Above this, the load generator itself is the bottleneck on a small machine. */
  public static final double MAX_PER_SECOND = 5_000;

  public Rate {
    if (!(perSecond > 0) || perSecond > MAX_PER_SECOND) {
      throw new IllegalArgumentException("a rate must be above 0 and at most " + (long) MAX_PER_SECOND + "/s, not " + perSecond + "/s");
    }
  }

  /** {@code 50/s}, {@code 50} (per second), {@code 600/m} (per minute), {@code 3600/h}. */
  public static Rate parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    double per = 1;
    int slash = t.indexOf('/');
    if (slash >= 0) {
      per = switch (t.substring(slash + 1)) {
        case "s", "sec" -> 1;
        case "m", "min" -> 60;
        case "h" -> 3600;
        default -> throw new IllegalArgumentException("rate '" + text + "': the unit after / must be s, m or h, e.g. 50/s");
      };
      t = t.substring(0, slash);
    }
    double n;
    try {
      n = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rate '" + text + "' is not a number of requests per second, e.g. 50/s");
    }
    if (!(n > 0)) {
      throw new IllegalArgumentException("rate '" + text + "' must be above 0");
    }
    return new Rate(n / per);
  }

  /** When request {@code n} is due, in nanoseconds after the start. */
  public long dueNanos(long n) {
    return Math.round(n * 1e9 / perSecond);
  }

  @Override
  public String toString() {
    return (perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.format(Locale.ROOT, "%.2f", perSecond)) + "/s";
  }
}
