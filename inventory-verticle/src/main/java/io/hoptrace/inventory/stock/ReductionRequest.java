package io.hoptrace.inventory.stock;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One request to take {@code quantity} items of a product. {@code requestId} is the idempotency
 * key: the order id on the Kafka path, the caller's {@code requestId} over HTTP.
 */
public record ReductionRequest(String requestId, String productId, int quantity) {

  /** The value of a {@code stock-reductions} record: {@code {"orderId", "productId", "quantity", ...}}. */
  public static ReductionRequest fromKafkaValue(String value) {
    JsonObject o;
    try {
      o = new JsonObject(value == null ? "" : value);
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidRequest(null, "the value is not a JSON object");
    }
    String orderId = o.getValue("orderId") instanceof String s && !s.isBlank() ? s : null;
    if (orderId == null) {
      throw new InvalidRequest(null, "orderId is missing");
    }
    if (!(o.getValue("productId") instanceof String productId) || productId.isBlank()) {
      throw new InvalidRequest(orderId, "productId is missing or not a string");
    }
    if (!(o.getValue("quantity") instanceof Integer quantity)) {
      throw new InvalidRequest(orderId, "quantity is missing or not an integer");
    }
    return new ReductionRequest(orderId, productId, quantity);
  }

  /** A request that cannot be applied; {@code requestId} is null when even that could not be read. */
  public static final class InvalidRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String requestId;

    public InvalidRequest(String requestId, String message) {
      super(message, null, false, false);
      this.requestId = requestId;
    }

    public String requestId() {
      return requestId;
    }
  }
}
