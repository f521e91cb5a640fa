package io.hoptrace.collector.receiver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Optional bearer-token check shared by both OTLP ports (constant-time comparison). */
final class Auth {
  private Auth() {}

  static boolean allowed(Optional<String> token, String authorizationHeader) {
    if (token.isEmpty()) {
      return true;
    }
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.get().getBytes(StandardCharsets.UTF_8));
  }
}
