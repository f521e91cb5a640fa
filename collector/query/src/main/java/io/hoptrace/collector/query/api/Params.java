package io.hoptrace.collector.query.api;

import io.hoptrace.web.ApiError;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reader of an API request's query parameters. Unknown parameters, repeated ones and values
 * outside their pattern or range are refused with a 400 naming the parameter: a request either means
 * exactly one thing or is refused, and nothing unchecked reaches a query.
 */
public final class Params {
  /** Service names: what OpenTelemetry SDKs accept in practice for {@code service.name}. */
  public static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-/:]{0,127}");
  /** Attribute keys (semantic-convention style: dotted lower case, but any identifier-ish key). */
  public static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-/:@]{0,127}");

  private final MultiMap query;

  public Params(MultiMap query, Set<String> allowed, Set<String> repeatable) {
    this.query = query;
    for (String name : query.names()) {
      if (!allowed.contains(name)) {
        throw ApiError.invalidParameter(name, "unknown parameter '" + Text.clip(name) + "'; this endpoint accepts " + String.join(", ", allowed.stream().sorted().toList()));
      }
      if (!repeatable.contains(name) && query.getAll(name).size() > 1) {
        throw ApiError.invalidParameter(name, "parameter '" + name + "' given more than once");
      }
    }
  }

  public Optional<String> string(String name) {
    String v = query.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public List<String> all(String name) {
    return query.getAll(name).stream().filter(v -> !v.isEmpty()).toList();
  }

  /** A value that must match {@code pattern} entirely; {@code what} describes the accepted form. */
  public Optional<String> matching(String name, Pattern pattern, String what) {
    return string(name).map(v -> {
      if (!pattern.matcher(v).matches()) {
        throw ApiError.invalidParameter(name, name + " '" + Text.clip(v) + "' is not " + what);
      }
      return v;
    });
  }

  /** Free text (span names, attribute values) that passes {@link Text#requirePlain}. */
  public Optional<String> plainText(String name, int maxLength) {
    return string(name).map(v -> Text.requirePlain(name, v, maxLength));
  }

  public int integer(String name, int defaultValue, int min, int max) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    String v = raw.get();
    if (!v.matches("\\d{1,9}")) {
      throw ApiError.invalidParameter(name, name + " '" + Text.clip(v) + "' is not a whole number between " + min + " and " + max);
    }
    int n = Integer.parseInt(v);
    if (n < min || n > max) {
      throw ApiError.invalidParameter(name, name + " " + n + " is out of range: between " + min + " and " + max);
    }
    return n;
  }

  public <E extends Enum<E>> Optional<E> oneOf(String name, Class<E> type) {
    return string(name).map(v -> {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(v)) {
          return e;
        }
      }
      List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase()).toList();
      throw ApiError.invalidParameter(name, name + " '" + Text.clip(v) + "' is not one of " + String.join(", ", names));
    });
  }
}
