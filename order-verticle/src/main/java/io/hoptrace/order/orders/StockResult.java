package io.hoptrace.order.orders;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Inventory's answer to one order: the value of a {@code stock-reduction-results} record (key = orderId). */
public record StockResult(String orderId, String status, String reason, String message, Instant decidedAt) {

  public boolean confirmed() {
    return "CONFIRMED".equals(status);
  }

  public static StockResult fromJson(String value) {
    JsonObject o = new JsonObject(value);
    String status = o.getString("status");
    if (!"CONFIRMED".equals(status) && !"REJECTED".equals(status)) {
      throw new IllegalArgumentException("status must be CONFIRMED or REJECTED, got " + status);
    }
    String decided = o.getString("decidedAt");
    return new StockResult(o.getString("orderId"), status, o.getString("reason"), o.getString("message"),
        decided == null ? Instant.now() : Instant.parse(decided));
  }
}
