package io.hoptrace.faults.fuzz;

import java.util.Map;

/**
 * One fuzz input: what kind it is (for the report), the body, and the request's headers.
 *
 * @param kind e.g. "truncated protobuf", "JSON wrong types"
 * @param body the request body as sent
 * @param headers content-type and friends (may be wrong on purpose)
 */
public record Case(String kind, byte[] body, Map<String, String> headers) {
  public static Case of(String kind, byte[] body, String contentType) {
    return new Case(kind, body, contentType == null ? Map.of() : Map.of("content-type", contentType));
  }
}
