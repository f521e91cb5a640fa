package io.hoptrace.load.traffic;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of the load's option values that are not rates: shares ({@code 5%}) and durations ({@code 10s}, {@code 5m}). */
public final class Shares {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Shares() {}

  /** {@code 5%} or {@code 5} (percent), from 0 to 100: the fraction, 0.05. */
  public static double percent(String text) {
    String t = text.trim();
    if (t.endsWith("%")) {
      t = t.substring(0, t.length() - 1).trim();
    }
    double p;
    try {
      p = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("share '" + text + "' is not a percentage, e.g. 5%");
    }
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("share '" + text + "' must be between 0% and 100%");
    }
    return p / 100;
  }

  /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}; at least 1 s. */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("duration '" + text + "' must be a number and a unit (ms, s, m, h), e.g. 10s or 5m");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("duration '" + text + "' must be at least 1s");
    }
    return d;
  }
}
