package io.hoptrace.order.orders;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An order as the API shows it. Created PENDING once Kafka acknowledged its stock-reduction
 * request; completed CONFIRMED or REJECTED by inventory's result.
 *
 * @param traceId the trace of the {@code POST /order-product} that created it
 */
public record Order(
    String orderId, String productId, int quantity, Status status, String reason, String message,
    String traceId, Instant createdAt, Instant completedAt) {

  public enum Status { PENDING, CONFIRMED, REJECTED }

  public static Order pending(String orderId, String productId, int quantity, String traceId, Instant createdAt) {
    return new Order(orderId, productId, quantity, Status.PENDING, null, null, traceId, createdAt, null);
  }

  public boolean completed() {
    return status != Status.PENDING;
  }

  public Order completedBy(StockResult r) {
    return new Order(orderId, productId, quantity, r.confirmed() ? Status.CONFIRMED : Status.REJECTED,
        r.reason(), r.message(), traceId, createdAt, r.decidedAt());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", orderId)
        .put("productId", productId)
        .put("quantity", quantity)
        .put("status", status.name())
        .put("reason", reason)
        .put("message", message)
        .put("traceId", traceId)
        .put("createdAt", createdAt.toString())
        .put("completedAt", completedAt == null ? null : completedAt.toString());
  }

  /** The value of the {@code stock-reductions} record for this order (key = productId). */
  public JsonObject toRequestJson() {
    return new JsonObject()
        .put("orderId", orderId)
        .put("productId", productId)
        .put("quantity", quantity)
        .put("requestedAt", createdAt.toString());
  }

  /** An order rebuilt from its stock-reductions record. */
  public static Order fromRequestJson(JsonObject o, String traceId) {
    return pending(o.getString("orderId"), o.getString("productId"), o.getInteger("quantity"), traceId,
        Instant.parse(o.getString("requestedAt")));
  }
}
