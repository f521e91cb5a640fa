package io.hoptrace.inventory.stock;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** A product and its stock level: the value of the {@code inventory-stock} topic, key = productId. */
public record Product(String productId, String name, double price, int stock) {
  public Product {
    Objects.requireNonNull(productId, "productId");
    Objects.requireNonNull(name, "name");
    if (stock < 0) {
      throw new IllegalArgumentException("stock of " + productId + " cannot be negative: " + stock);
    }
  }

  public Product withStock(int newStock) {
    return new Product(productId, name, price, newStock);
  }

  public JsonObject toJson() {
    return new JsonObject().put("productId", productId).put("name", name).put("price", price).put("stock", stock);
  }

  public static Product fromJson(JsonObject o) {
    return new Product(o.getString("productId"), o.getString("name"), o.getDouble("price", 0.0), o.getInteger("stock"));
  }
}
