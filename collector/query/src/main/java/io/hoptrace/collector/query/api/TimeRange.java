package io.hoptrace.collector.query.api;

import io.hoptrace.web.ApiError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A half-open time range [from, to) in epoch nanoseconds, from either {@code lookback} (an age:
 * {@code 15m}, {@code 1h}, {@code 7d}) or {@code from}/{@code to} (ISO-8601 instants such as
 * {@code 2026-11-25T12:00:00Z}, or epoch milliseconds). At most {@link #MAX} long.
 */
public record TimeRange(long fromNanos, long toNanos) {
  public static final Duration MAX = Duration.ofDays(31);
  public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(1);
  private static final Pattern AGE = Pattern.compile("(\\d{1,6})(s|m|h|d)");

  public static TimeRange from(Params params, Clock clock, Duration defaultLookback) {
    Optional<String> lookback = params.string("lookback");
    Optional<String> from = params.string("from");
    Optional<String> to = params.string("to");
    Instant now = clock.instant();
    if (lookback.isPresent()) {
      if (from.isPresent() || to.isPresent()) {
        throw ApiError.invalidParameter("lookback", "give either lookback or from/to, not both");
      }
      return of(now.minus(age("lookback", lookback.get())), now);
    }
    if (from.isEmpty() && to.isEmpty()) {
      return of(now.minus(defaultLookback), now);
    }
    if (from.isEmpty()) {
      throw ApiError.invalidParameter("from", "to is given but from is missing");
    }
    Instant f = instant("from", from.get());
    Instant t = to.map(v -> instant("to", v)).orElse(now);
    if (!f.isBefore(t)) {
      throw ApiError.invalidParameter("from", "from (" + f + ") must be before to (" + t + ")");
    }
    if (Duration.between(f, t).compareTo(MAX) > 0) {
      throw ApiError.invalidParameter("from", "the time range is longer than " + MAX.toDays() + " days");
    }
    return of(f, t);
  }

  public static TimeRange of(Instant from, Instant to) {
    return new TimeRange(nanos(from), nanos(to));
  }

  public static Duration age(String parameter, String value) {
    Matcher m = AGE.matcher(value);
    if (!m.matches()) {
      throw ApiError.invalidParameter(parameter, parameter + " '" + Text.clip(value) + "' is not an age such as 15m, 1h, 6h or 7d");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    if (d.isZero() || d.compareTo(MAX) > 0) {
      throw ApiError.invalidParameter(parameter, parameter + " " + value + " must be more than 0 and at most " + MAX.toDays() + " days");
    }
    return d;
  }

  static Instant instant(String parameter, String value) {
    if (value.matches("\\d{1,15}")) {
      return Instant.ofEpochMilli(Long.parseLong(value));
    }
    if (value.length() <= 40) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        // fall through to the message below
      }
    }
    throw ApiError.invalidParameter(parameter, parameter + " '" + Text.clip(value)
        + "' is not a time: use an ISO-8601 instant such as 2026-11-25T12:00:00Z, or epoch milliseconds");
  }

  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  public Instant fromInstant() {
    return Instant.ofEpochSecond(0, fromNanos);
  }

  public Instant toInstant() {
    return Instant.ofEpochSecond(0, toNanos);
  }

  /** The ClickHouse parameters {@code from_ns} and {@code to_ns} (use {@code fromUnixTimestamp64Nano}). */
  public Map<String, String> params() {
    return Map.of("from_ns", Long.toString(fromNanos), "to_ns", Long.toString(toNanos));
  }
}
