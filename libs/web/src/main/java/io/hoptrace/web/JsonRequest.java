package io.hoptrace.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A JSON object request body with typed, validated fields. Every problem is an {@link ApiError}
 * (400) naming the field and what is wrong, so that an invalid request changes nothing.
 */
public final class JsonRequest {
  /** Ids (products, orders, requests): what may appear in a Kafka key and a URL without escaping. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final JsonObject body;

  private JsonRequest(JsonObject body) {
    this.body = body;
  }

  public static JsonRequest parse(Buffer raw) {
    if (raw == null || raw.length() == 0 || raw.toString().isBlank()) {
      throw ApiError.badRequest("malformed_json", "the request body is empty; send a JSON object");
    }
    Object value;
    try {
      value = Json.decodeValue(raw);
    } catch (DecodeException e) {
      throw ApiError.badRequest("malformed_json", "the request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!(value instanceof JsonObject o)) {
      throw ApiError.badRequest("malformed_json", "the request body must be a JSON object, got " + typeName(value));
    }
    return new JsonRequest(o);
  }

  /** A required string field holding an id ({@link #ID}). */
  public String requiredId(String field) {
    String v = optionalString(field).orElseThrow(() -> missing(field));
    if (!ID.matcher(v).matches()) {
      throw ApiError.badRequest("invalid_field", "field '" + field + "' must be 1 to 64 letters, digits, '.', '_' or '-', got \"" + abbreviate(v) + "\"");
    }
    return v;
  }

  /** An optional id field: absent or null means empty. */
  public Optional<String> optionalId(String field) {
    Optional<String> v = optionalString(field);
    v.ifPresent(s -> {
      if (!ID.matcher(s).matches()) {
        throw ApiError.badRequest("invalid_field", "field '" + field + "' must be 1 to 64 letters, digits, '.', '_' or '-', got \"" + abbreviate(s) + "\"");
      }
    });
    return v;
  }

  /** A required whole number within [min, max]. */
  public int requiredInt(String field, int min, int max) {
    Object v = body.getValue(field);
    if (v == null) {
      throw missing(field);
    }
    if (!(v instanceof Number n)) {
      throw ApiError.badRequest("wrong_type", "field '" + field + "' must be an integer, got " + typeName(v));
    }
    BigDecimal d = new BigDecimal(n.toString());
    if (d.stripTrailingZeros().scale() > 0) {
      throw ApiError.badRequest("wrong_type", "field '" + field + "' must be an integer, got " + n);
    }
    if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw ApiError.badRequest("invalid_" + field, field + " must be between " + min + " and " + max + ", got " + d.toPlainString());
    }
    return d.intValueExact();
  }

  /** An optional boolean field: absent or null means {@code dflt}. */
  public boolean optionalBoolean(String field, boolean dflt) {
    Object v = body.getValue(field);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean b)) {
      throw ApiError.badRequest("wrong_type", "field '" + field + "' must be true or false, got " + typeName(v));
    }
    return b;
  }

  /** An optional string field of 1 to {@code maxLength} characters, not blank. */
  public Optional<String> optionalText(String field, int maxLength) {
    Optional<String> v = optionalString(field);
    v.ifPresent(s -> {
      if (s.isBlank() || s.length() > maxLength) {
        throw ApiError.badRequest("invalid_field", "field '" + field + "' must be 1 to " + maxLength + " characters and not blank, got \"" + abbreviate(s) + "\"");
      }
    });
    return v;
  }

  /** An optional number within [min, max]: absent or null means empty. */
  public Optional<Double> optionalNumber(String field, double min, double max) {
    Object v = body.getValue(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Number n)) {
      throw ApiError.badRequest("wrong_type", "field '" + field + "' must be a number, got " + typeName(v));
    }
    double d = n.doubleValue();
    if (!(d >= min && d <= max)) {
      throw ApiError.badRequest("invalid_" + field, field + " must be between " + plain(min) + " and " + plain(max) + ", got " + n);
    }
    return Optional.of(d);
  }

  private static String plain(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private Optional<String> optionalString(String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw ApiError.badRequest("wrong_type", "field '" + field + "' must be a string, got " + typeName(v));
    }
    return Optional.of(s);
  }

  private static ApiError missing(String field) {
    return ApiError.badRequest("missing_field", "field '" + field + "' is required");
  }

  static String typeName(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof JsonObject) {
      return "an object";
    }
    if (v instanceof io.vertx.core.json.JsonArray) {
      return "an array";
    }
    return v.getClass().getSimpleName();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    // Jackson appends where it was and what it read: keep only what went wrong
    return abbreviate(s.split("\\s*(\\(start marker|at \\[Source|\n)", 2)[0]);
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
