package io.hoptrace.load.orders;

import io.hoptrace.load.json.Json;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Concurrent customers of the order service: each places orders of one product (quantities 1-3,
 * seeded) one after the other until stopped, and records every answer: the order it created (201 or
 * 202 with its id, quantity and status) or the refusal (status and error code).
 *
 * <p>Retrying customers ({@link #retrying}) behave like a careful real client: every order carries
 * its own {@code Idempotency-Key}, and a 503, a 409 (the key's first request still in progress) or
 * no answer at all is retried with the same key, with back-off, until the order service answers
 * with the order. Their accounting must then find each order exactly once.
 */
public final class OrderClients {
  /** An order a client got back: its id, quantity, and the HTTP status and order status of the answer that told it. */
  public record Placed(String orderId, int quantity, int httpStatus, String status) {
    /** A 201 (or a replayed 200) tells the final status; a 202 tells PENDING. */
    public boolean answeredFinal() {
      return httpStatus == 201 || httpStatus == 200;
    }
  }

  /** How long a retrying client keeps trying one order before it gives up (and counts it refused). */
  private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

  private final String url;
  private final String productId;
  private final boolean retrying;
  private final List<Thread> clients = new ArrayList<>();
  private final Map<String, Placed> placed = new ConcurrentHashMap<>();
  private final Map<String, Long> refused = new ConcurrentHashMap<>();
  private final Map<String, Long> retried = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private volatile boolean running = true;

  private OrderClients(String orderUrl, String productId, int clients, long seed, boolean retrying) {
    this.url = orderUrl + "/order-product";
    this.productId = productId;
    this.retrying = retrying;
    for (int c = 0; c < clients; c++) {
      Random random = new Random(seed * 1_000 + c);
      Thread t = new Thread(() -> loop(random), "order-client-" + c);
      t.setDaemon(true);
      this.clients.add(t);
    }
  }

  /** Customers that take a refusal as it is (no key, no retry). */
  public OrderClients(String orderUrl, String productId, int clients, long seed) {
    this(orderUrl, productId, clients, seed, false);
  }

  /** Customers that send an {@code Idempotency-Key} with every order and retry refusals with it. */
  public static OrderClients retrying(String orderUrl, String productId, int clients, long seed) {
    return new OrderClients(orderUrl, productId, clients, seed, true);
  }

  public OrderClients start() {
    clients.forEach(Thread::start);
    return this;
  }

  /** Stops placing new orders and waits for the ones in progress (a retrying client finishes its current order). */
  public void stop() throws InterruptedException {
    running = false;
    long waitMs = GIVE_UP_AFTER.toMillis() + 60_000;
    for (Thread t : clients) {
      t.join(waitMs);
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " still waits for an answer " + waitMs / 1000 + " s after the load stopped");
      }
    }
  }

  public Map<String, Placed> placed() {
    return Map.copyOf(placed);
  }

  /** Orders that got no order in the end, by the last answer, "status error" (e.g. "503 kafka_unavailable", "no answer"). */
  public Map<String, Long> refused() {
    return new TreeMap<>(refused);
  }

  /** Answers that a retrying client retried, by "status error". */
  public Map<String, Long> retried() {
    return new TreeMap<>(retried);
  }

  /** Places one order synchronously (outside the load), recording it like the clients do. */
  public Placed placeOne(int quantity) {
    return place(quantity, new Random());
  }

  private void loop(Random random) {
    while (running) {
      place(1 + random.nextInt(3), random);
    }
  }

  private Placed place(int quantity, Random random) {
    String body = "{\"productId\":" + Json.quote(productId) + ",\"quantity\":" + quantity + "}";
    String key = retrying ? productId + "-" + new UUID(random.nextLong(), random.nextLong()) : null;
    long giveUpAt = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    long backoffMs = 100;
    while (true) {
      Answer a = send(body, key);
      if (a.placed != null) {
        placed.put(a.placed.orderId(), a.placed);
        return a.placed;
      }
      boolean retryable = a.refusal.startsWith("503 ") || a.refusal.startsWith("409 ") || a.refusal.equals("no answer");
      if (!retrying || !retryable || System.nanoTime() - giveUpAt > 0) {
        refused.merge(a.refusal, 1L, Long::sum);
        return null;
      }
      retried.merge(a.refusal, 1L, Long::sum);
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        refused.merge("interrupted", 1L, Long::sum);
        return null;
      }
      backoffMs = Math.min(2_000, backoffMs * 2);
    }
  }

  /** One HTTP answer: the order it told about, or why not. */
  private record Answer(Placed placed, String refusal) {}

  private Answer send(String body, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      int status = r.statusCode();
      if (status == 201 || status == 202 || (status == 200 && key != null)) {
        Json.Obj o = Json.object(r.body());
        return new Answer(new Placed(o.string("orderId"), o.integer("quantity"), status, o.string("status")), null);
      }
      String error;
      try {
        error = Json.object(r.body()).string("error");
      } catch (RuntimeException e) {
        error = "(no JSON error)";
      }
      return new Answer(null, status + " " + error);
    } catch (java.io.IOException e) {
      return new Answer(null, "no answer");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(null, "no answer");
    }
  }
}
