package io.hoptrace.inventory.stock;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What inventory decided for one request, once and for all: the value of the
 * {@code inventory-decisions} topic (key = requestId) and, for the Kafka path, of the result sent
 * to {@code stock-reduction-results} (key = orderId).
 *
 * @param reason null when confirmed; {@code insufficient_stock}, {@code unknown_product} or {@code invalid_request}
 * @param stockAfter the product's stock once this decision applied
 */
public record Decision(
    String requestId, String productId, int quantity, Status status, String reason, String message, int stockAfter, Instant decidedAt) {

  public enum Status { CONFIRMED, REJECTED }

  public boolean confirmed() {
    return status == Status.CONFIRMED;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("requestId", requestId)
        .put("productId", productId)
        .put("quantity", quantity)
        .put("status", status.name())
        .put("reason", reason)
        .put("message", message)
        .put("stockAfter", stockAfter)
        .put("decidedAt", decidedAt.toString());
  }

  public static Decision fromJson(JsonObject o) {
    return new Decision(o.getString("requestId"), o.getString("productId"), o.getInteger("quantity", 0),
        Status.valueOf(o.getString("status")), o.getString("reason"), o.getString("message"),
        o.getInteger("stockAfter", 0), Instant.parse(o.getString("decidedAt")));
  }

  /** The result record for the order service (contract: docs/http-api.md, "The Kafka hop"). */
  public JsonObject toResultJson() {
    return new JsonObject()
        .put("orderId", requestId)
        .put("productId", productId)
        .put("quantity", quantity)
        .put("status", status.name())
        .put("reason", reason)
        .put("message", message)
        .put("decidedAt", decidedAt.toString());
  }
}
