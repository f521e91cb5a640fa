package io.hoptrace.order.orders;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A client's {@code Idempotency-Key}: 1 to 255 printable ASCII characters. The order id is derived
 * from it, so a retry (on this instance, another one, or after a restart) names the same order, and
 * inventory, which decides each order id once, can never apply it twice.
 */
public final class IdempotencyKey {
  public static final String HEADER = "Idempotency-Key";
  public static final int MAX_LENGTH = 255;

  private IdempotencyKey() {}

  /** Why {@code key} is not a valid key, or null when it is. */
  public static String problem(String key) {
    if (key.isEmpty() || key.length() > MAX_LENGTH) {
      return HEADER + " must be 1 to " + MAX_LENGTH + " characters long, got " + key.length();
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return HEADER + " must be printable ASCII; character " + (i + 1) + " is not";
      }
    }
    return null;
  }

  /** The order id of the first order placed with this key (a name-based UUID, version 3). */
  public static String orderId(String key) {
    return UUID.nameUUIDFromBytes(("hoptrace-order-idempotency-key:" + key).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
