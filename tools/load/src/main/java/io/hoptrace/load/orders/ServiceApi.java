package io.hoptrace.load.orders;

import io.hoptrace.load.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** What a client reads from the services' own APIs: stock levels (inventory) and the order book (order). */
public final class ServiceApi {
  private final String orderUrl;
  private final String inventoryUrl;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  /** @param orderUrl order's base URL, @param inventoryUrl inventory's, e.g. {@code http://127.0.0.1:8010} */
  public ServiceApi(String orderUrl, String inventoryUrl) {
    this.orderUrl = orderUrl;
    this.inventoryUrl = inventoryUrl;
  }

  /** Every product inventory lists, by id: its stock. */
  public Map<String, Integer> stock() {
    Map<String, Integer> out = new HashMap<>();
    for (Json.Obj p : get(inventoryUrl + "/list-products").objects("products")) {
      out.put(p.string("productId"), p.integer("stock"));
    }
    return out;
  }

  /** The stock of a product as inventory reports it. */
  public int stockOf(String productId) {
    Integer stock = stock().get(productId);
    if (stock == null) {
      throw new IllegalStateException("inventory does not list product " + productId);
    }
    return stock;
  }

  /** Every order of a product in order's book, by id. */
  public Map<String, Json.Obj> ordersOf(String productId) {
    Map<String, Json.Obj> out = new HashMap<>();
    for (Json.Obj o : get(orderUrl + "/list-orders").objects("orders")) {
      if (productId.equals(o.string("productId"))) {
        out.put(o.string("orderId"), o);
      }
    }
    return out;
  }

  private Json.Obj get(String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
      }
      return Json.object(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(url + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
