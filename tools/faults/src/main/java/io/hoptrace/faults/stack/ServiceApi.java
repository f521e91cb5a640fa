package io.hoptrace.faults.stack;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** What the suite reads from the services' own APIs: stock levels (inventory) and the order book (order). */
public final class ServiceApi {
  private final FaultStack stack;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  public ServiceApi(FaultStack stack) {
    this.stack = stack;
  }

  /** The stock of a product as inventory reports it. */
  public int stockOf(String productId) {
    for (Object o : get(stack.inventoryUrl() + "/list-products").getJsonArray("products")) {
      JsonObject p = (JsonObject) o;
      if (productId.equals(p.getString("productId"))) {
        return p.getInteger("stock");
      }
    }
    throw new IllegalStateException("inventory does not list product " + productId);
  }

  /** Every order of a product in order's book, by id. */
  public Map<String, JsonObject> ordersOf(String productId) {
    Map<String, JsonObject> out = new HashMap<>();
    for (Object o : get(stack.orderUrl() + "/list-orders").getJsonArray("orders")) {
      JsonObject j = (JsonObject) o;
      if (productId.equals(j.getString("productId"))) {
        out.put(j.getString("orderId"), j);
      }
    }
    return out;
  }

  private JsonObject get(String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
      }
      return new JsonObject(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(url + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
