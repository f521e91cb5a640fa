package io.hoptrace.stack;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Durations and times as the terminal commands print them. */
final class Format {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private Format() {}

  /** 850us, 12.345ms, 1.420s: three decimals in the unit that fits. */
  static String duration(long ns) {
    long a = Math.abs(ns);
    String sign = ns < 0 ? "-" : "";
    if (a < 1_000_000L) {
      return sign + String.format(java.util.Locale.ROOT, "%.3fus", a / 1e3);
    }
    if (a < 1_000_000_000L) {
      return sign + String.format(java.util.Locale.ROOT, "%.3fms", a / 1e6);
    }
    return sign + String.format(java.util.Locale.ROOT, "%.3fs", a / 1e9);
  }

  /** Offsets from the trace start, always in milliseconds so a column of them lines up: +12.000ms */
  static String offset(long ns) {
    return String.format(java.util.Locale.ROOT, "+%.3fms", ns / 1e6);
  }

  /** An ISO instant in the local time zone, to the millisecond. */
  static String time(String iso) {
    return TIME.format(Instant.parse(iso));
  }
}
