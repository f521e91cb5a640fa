package io.hoptrace.inventory.stock;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One request to add {@code quantity} items to a product, and with {@code create} to add the
 * product when it is missing (with {@code name} and {@code price}; an existing product keeps its
 * own). {@code requestId} is the idempotency key, shared with the reductions' ids: a request id is
 * decided once. The value of a {@code stock-restocks} record (key = productId).
 */
public record RestockRequest(String requestId, String productId, int quantity, boolean create, String name, double price) {

  /** Largest quantity one restock may add: anything above is a typo or an attack. */
  public static final int MAX_QUANTITY = 1_000_000;

  /** Largest stock a product may hold after a restock (far from int overflow). */
  public static final int MAX_STOCK = 1_000_000_000;

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("requestId", requestId).put("productId", productId).put("quantity", quantity);
    if (create) {
      o.put("create", true).put("name", name).put("price", price);
    }
    return o;
  }

  /** Reads a {@code stock-restocks} record's value; what cannot be read is an {@link ReductionRequest.InvalidRequest}. */
  public static RestockRequest fromKafkaValue(String value) {
    JsonObject o;
    try {
      o = new JsonObject(value == null ? "" : value);
    } catch (DecodeException | ClassCastException e) {
      throw new ReductionRequest.InvalidRequest(null, "the value is not a JSON object");
    }
    String requestId = o.getValue("requestId") instanceof String s && !s.isBlank() ? s : null;
    if (requestId == null) {
      throw new ReductionRequest.InvalidRequest(null, "requestId is missing");
    }
    if (!(o.getValue("productId") instanceof String productId) || productId.isBlank()) {
      throw new ReductionRequest.InvalidRequest(requestId, "productId is missing or not a string");
    }
    if (!(o.getValue("quantity") instanceof Integer quantity)) {
      throw new ReductionRequest.InvalidRequest(requestId, "quantity is missing or not an integer");
    }
    boolean create = Boolean.TRUE.equals(o.getValue("create"));
    String name = o.getValue("name") instanceof String n && !n.isBlank() ? n : productId;
    double price = o.getValue("price") instanceof Number p ? p.doubleValue() : 0.0;
    return new RestockRequest(requestId, productId, quantity, create, name, price);
  }
}
