package io.hoptrace.kafka.replay;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses the {@code --from}/{@code --to} of a replay. Accepted: {@code earliest} (from only), an
 * ISO-8601 instant or offset date-time ({@code 2026-11-25T12:00:00Z}), a local date-time or date
 * (in the machine's time zone), epoch milliseconds, or an age such as {@code 15m}, {@code 2h},
 * {@code 7d} (that long ago).
 */
public final class ReplayTime {
  private ReplayTime() {}

  /** Empty means "earliest". */
  public static Optional<Instant> parse(String text, Clock clock) {
    String t = text.trim();
    if (t.equalsIgnoreCase("earliest")) {
      return Optional.empty();
    }
    if (t.matches("\\d{10,}")) {
      return Optional.of(Instant.ofEpochMilli(Long.parseLong(t)));
    }
    if (t.matches("\\d+(ms|s|m|h|d)")) {
      return Optional.of(clock.instant().minus(io.hoptrace.config.Env.parseDuration(t)));
    }
    ZoneId zone = clock.getZone();
    try {
      return Optional.of(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return Optional.of(Instant.parse(t));
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return Optional.of(LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant());
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return Optional.of(LocalDate.parse(t).atStartOfDay(zone).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not a time: use earliest, 2026-11-25T12:00:00Z, "
          + "2026-11-25T12:00, 2026-11-25, epoch milliseconds, or an age like 15m, 2h, 7d");
    }
  }
}
