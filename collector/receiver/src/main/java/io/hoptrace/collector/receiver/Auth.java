package io.hoptrace.collector.receiver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Optional bearer-token check shared by both OTLP ports, like the OpenTelemetry Collector's
 * {@code bearertokenauth}: {@code Authorization: Bearer <token>}, compared in constant time.
 */
final class Auth {
  private Auth() {}

  static boolean allowed(Optional<String> token, String authorizationHeader) {
    if (token.isEmpty()) {
      return true;
    }
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    // digests of equal length: the time taken reveals neither where the token differs nor its length
    return MessageDigest.isEqual(sha256(authorizationHeader.substring(7).trim()), sha256(token.get()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
