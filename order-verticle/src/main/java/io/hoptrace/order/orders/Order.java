package io.hoptrace.order.orders;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An order as the API shows it. PENDING while its stock-reduction request is on its way or waits for
 * inventory; completed CONFIRMED or REJECTED by inventory's result, or FAILED when its request
 * turned out never to have been committed to Kafka (nothing was reserved).
 *
 * @param traceId the trace of the {@code POST /order-product} that created it
 * @param idempotencyKey the client's {@code Idempotency-Key}, or null
 */
public record Order(
    String orderId, String productId, int quantity, Status status, String reason, String message,
    String traceId, Instant createdAt, Instant completedAt, String idempotencyKey) {

  public enum Status { PENDING, CONFIRMED, REJECTED, FAILED }

  /** Why a FAILED order failed. */
  public static final String NOT_PUBLISHED = "not_published";

  public static Order pending(String orderId, String productId, int quantity, String traceId, Instant createdAt) {
    return pending(orderId, productId, quantity, traceId, createdAt, null);
  }

  public static Order pending(String orderId, String productId, int quantity, String traceId, Instant createdAt, String idempotencyKey) {
    return new Order(orderId, productId, quantity, Status.PENDING, null, null, traceId, createdAt, null, idempotencyKey);
  }

  public boolean completed() {
    return status != Status.PENDING;
  }

  public Order completedBy(StockResult r) {
    return new Order(orderId, productId, quantity, r.confirmed() ? Status.CONFIRMED : Status.REJECTED,
        r.reason(), r.message(), traceId, createdAt, r.decidedAt(), idempotencyKey);
  }

  /** This order, FAILED: its request was never committed to Kafka. */
  public Order notPublished(String message, Instant at) {
    return new Order(orderId, productId, quantity, Status.FAILED, NOT_PUBLISHED, message, traceId, createdAt, at, idempotencyKey);
  }

  /** Whether a repeated request (same {@code Idempotency-Key}) asks for the same thing. */
  public boolean sameRequest(String otherProductId, int otherQuantity) {
    return productId.equals(otherProductId) && quantity == otherQuantity;
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
        .put("completedAt", completedAt == null ? null : completedAt.toString())
        .put("idempotencyKey", idempotencyKey);
  }

  /** The value of the {@code stock-reductions} record for this order (key = productId). */
  public JsonObject toRequestJson() {
    JsonObject o = new JsonObject()
        .put("orderId", orderId)
        .put("productId", productId)
        .put("quantity", quantity)
        .put("requestedAt", createdAt.toString());
    if (idempotencyKey != null) {
      o.put("idempotencyKey", idempotencyKey);
    }
    return o;
  }

  /** An order rebuilt from its stock-reductions record. */
  public static Order fromRequestJson(JsonObject o, String traceId) {
    return pending(o.getString("orderId"), o.getString("productId"), o.getInteger("quantity"), traceId,
        Instant.parse(o.getString("requestedAt")), o.getString("idempotencyKey"));
  }
}
