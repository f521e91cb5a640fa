package io.hoptrace.collector.query.api;

import io.hoptrace.web.ApiError;
import java.util.regex.Pattern;

/** W3C trace and span ids as the schema stores them: lower-case hex, 32 and 16 digits, not all zero. */
public final class TraceIds {
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");

  private TraceIds() {}

  public static String requireTraceId(String parameter, String value) {
    if (value == null || !TRACE_ID.matcher(value).matches()) {
      throw ApiError.invalidParameter(parameter, parameter + " '" + Text.clip(String.valueOf(value)) + "' is not a trace id: 32 hexadecimal digits");
    }
    if (value.chars().allMatch(c -> c == '0')) {
      throw ApiError.invalidParameter(parameter, "the all-zero trace id is invalid (W3C trace context)");
    }
    return value.toLowerCase(java.util.Locale.ROOT);
  }
}
