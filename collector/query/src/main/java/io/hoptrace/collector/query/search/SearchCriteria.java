package io.hoptrace.collector.query.search;

import io.hoptrace.web.ApiError;
import io.hoptrace.collector.query.api.Params;
import io.hoptrace.collector.query.api.Text;
import io.hoptrace.collector.query.api.TimeRange;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a trace search asks for. A trace matches when one of its spans, started in {@code range},
 * matches service, operation and every attribute filter together; {@code status} and the duration
 * bounds apply to the whole trace (error = at least one span with status Error, ok = none).
 */
public record SearchCriteria(
    TimeRange range,
    Optional<String> service,
    Optional<String> operation,
    Optional<Status> status,
    OptionalLong minDurationNanos,
    OptionalLong maxDurationNanos,
    List<AttributeFilter> attributes,
    int limit,
    int offset) {

  public enum Status { ERROR, OK }

  public static final Set<String> PARAMETERS = Set.of(
      "service", "operation", "status", "minDuration", "maxDuration", "attr", "lookback", "from", "to", "limit", "offset");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(?:\\.(\\d{1,3}))?(ns|us|µs|ms|s|m|h)");

  public static SearchCriteria parse(Params p, Clock clock) {
    TimeRange range = TimeRange.from(p, clock, TimeRange.DEFAULT_LOOKBACK);
    Optional<String> service = p.matching("service", Params.SERVICE, "a service name (letters, digits, _ . - / :)");
    Optional<String> operation = p.plainText("operation", 200);
    Optional<Status> status = p.oneOf("status", Status.class);
    OptionalLong min = duration(p, "minDuration");
    OptionalLong max = duration(p, "maxDuration");
    if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
      throw ApiError.invalidParameter("minDuration", "minDuration is larger than maxDuration");
    }
    List<String> rawAttrs = p.all("attr");
    if (rawAttrs.size() > AttributeFilter.MAX_PER_SEARCH) {
      throw ApiError.invalidParameter("attr", "at most " + AttributeFilter.MAX_PER_SEARCH + " attribute filters");
    }
    List<AttributeFilter> attrs = rawAttrs.stream().map(AttributeFilter::parse).toList();
    int limit = p.integer("limit", 20, 1, 100);
    int offset = p.integer("offset", 0, 0, 10_000);
    return new SearchCriteria(range, service, operation, status, min, max, attrs, limit, offset);
  }

  /** {@code 250ms}, {@code 1.5s}, {@code 800us}, {@code 2m}: nanoseconds. */
  static OptionalLong duration(Params p, String name) {
    Optional<String> raw = p.string(name);
    if (raw.isEmpty()) {
      return OptionalLong.empty();
    }
    Matcher m = DURATION.matcher(raw.get());
    if (!m.matches()) {
      throw ApiError.invalidParameter(name, name + " '" + Text.clip(raw.get()) + "' is not a duration such as 250ms, 1.5s, 800us or 2m");
    }
    long unit = switch (m.group(3)) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
    long whole = Long.parseLong(m.group(1));
    String frac = m.group(2) == null ? "" : m.group(2);
    long fraction = frac.isEmpty() ? 0 : Long.parseLong(frac) * unit / (long) Math.pow(10, frac.length());
    if (whole > Long.MAX_VALUE / unit / 2) {
      throw ApiError.invalidParameter(name, name + " " + raw.get() + " is too large");
    }
    return OptionalLong.of(whole * unit + fraction);
  }
}
