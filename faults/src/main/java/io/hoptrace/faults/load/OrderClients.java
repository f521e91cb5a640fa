package io.hoptrace.faults.load;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Concurrent customers of the order service: each places orders of one product (quantities 1-3,
 * seeded) one after the other until stopped, and records every answer: the order it created (201 or
 * 202 with its id, quantity and status) or the refusal (status and error code).
 */
public final class OrderClients {
  /** An order a client got back (created): its id, quantity and the status in the answer. */
  public record Placed(String orderId, int quantity, int httpStatus, String status) {}

  private final String url;
  private final String productId;
  private final List<Thread> clients = new ArrayList<>();
  private final Map<String, Placed> placed = new ConcurrentHashMap<>();
  private final Map<String, Long> refused = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private volatile boolean running = true;

  public OrderClients(String orderUrl, String productId, int clients, long seed) {
    this.url = orderUrl + "/order-product";
    this.productId = productId;
    for (int c = 0; c < clients; c++) {
      Random random = new Random(seed * 1_000 + c);
      Thread t = new Thread(() -> loop(random), "order-client-" + c);
      t.setDaemon(true);
      this.clients.add(t);
    }
  }

  public OrderClients start() {
    clients.forEach(Thread::start);
    return this;
  }

  /** Stops placing orders and waits for the answers in flight. */
  public void stop() throws InterruptedException {
    running = false;
    for (Thread t : clients) {
      t.join(120_000);
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " still waits for an answer 2 minutes after the load stopped");
      }
    }
  }

  public Map<String, Placed> placed() {
    return Map.copyOf(placed);
  }

  /** Answers that created no order, by "status error" (e.g. "503 kafka_unavailable", "no answer"). */
  public Map<String, Long> refused() {
    return new TreeMap<>(refused);
  }

  /** Places one order synchronously (outside the load), recording it like the clients do. */
  public Placed placeOne(int quantity) {
    return place(quantity);
  }

  private void loop(Random random) {
    while (running) {
      place(1 + random.nextInt(3));
    }
  }

  private Placed place(int quantity) {
    String body = new JsonObject().put("productId", productId).put("quantity", quantity).encode();
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 201 || r.statusCode() == 202) {
        JsonObject o = new JsonObject(r.body());
        Placed p = new Placed(o.getString("orderId"), o.getInteger("quantity"), r.statusCode(), o.getString("status"));
        placed.put(p.orderId(), p);
        return p;
      }
      String error;
      try {
        error = new JsonObject(r.body()).getString("error");
      } catch (RuntimeException e) {
        error = "(no JSON error)";
      }
      refused.merge(r.statusCode() + " " + error, 1L, Long::sum);
    } catch (java.io.IOException e) {
      refused.merge("no answer", 1L, Long::sum);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      refused.merge("no answer", 1L, Long::sum);
    }
    return null;
  }
}
