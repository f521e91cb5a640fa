package io.hoptrace.collector.query.api;

import java.time.Instant;

/** Epoch nanoseconds as ISO-8601 instants (with the nanoseconds: spans are that precise). */
public final class Times {
  private Times() {}

  public static String iso(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L)).toString();
  }
}
