package io.hoptrace.services;

import io.hoptrace.inventory.InventoryApp;
import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.order.OrderApp;
import io.hoptrace.order.OrderConfig;
import io.hoptrace.config.Env;
import io.hoptrace.process.Poll;
import io.hoptrace.process.Ports;
import io.hoptrace.telemetry.Telemetry;
import io.hoptrace.testsupport.Infrastructure;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Inventory and order, each with its own Vert.x and OpenTelemetry SDK, in this JVM, on private
 * topics of a real Kafka (so tests do not see each other's records) and free ports. Spans of both
 * land in one in-memory exporter.
 */
final class ServicesUnderTest implements AutoCloseable {
  final String kafka;
  final String requests = Infrastructure.unique("stock-reductions");
  final String results = Infrastructure.unique("stock-reduction-results");
  final String restocks = Infrastructure.unique("stock-restocks");
  final String stock = Infrastructure.unique("inventory-stock");
  final String decisions = Infrastructure.unique("inventory-decisions");
  final String group = Infrastructure.unique("inventory");
  final int inventoryPort = Ports.freePort();
  final int orderPort = Ports.freePort();
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader orderMetrics = InMemoryMetricReader.create();
  final InMemoryMetricReader inventoryMetrics = InMemoryMetricReader.create();
  final Path seedFile;
  private final Map<String, String> extraEnv = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private Vertx inventoryVertx;
  private Telemetry inventoryTelemetry;
  private InventoryApp inventory;
  private Vertx orderVertx;
  private Telemetry orderTelemetry;
  private OrderApp order;
  private final List<Runnable> others = new java.util.ArrayList<>();

  /** @param products productId -> stock of the seed catalogue */
  ServicesUnderTest(String kafkaBootstrapServers, Map<String, Integer> products) {
    this.kafka = kafkaBootstrapServers;
    JsonArray seed = new JsonArray();
    products.forEach((id, n) -> seed.add(new JsonObject().put("productId", id).put("name", "Test " + id).put("price", 1.5).put("stock", n)));
    try {
      seedFile = Files.createTempFile("hoptrace-seed-", ".json");
      Files.writeString(seedFile, seed.encode());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TopicSetup.ensure(kafka, List.of(Topics.business(requests), Topics.business(results), Topics.business(restocks), Topics.state(stock), Topics.state(decisions)));
  }

  ServicesUnderTest env(String name, String value) {
    extraEnv.put(name, value);
    return this;
  }

  /** The environment both services read (as ./stack would set it), for in-JVM and child-process runs. */
  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
    env.put("STOCK_REDUCTIONS_TOPIC", requests);
    env.put("STOCK_REDUCTION_RESULTS_TOPIC", results);
    env.put("STOCK_RESTOCKS_TOPIC", restocks);
    env.put("INVENTORY_STOCK_TOPIC", stock);
    env.put("INVENTORY_DECISIONS_TOPIC", decisions);
    env.put("INVENTORY_CONSUMER_GROUP", group);
    env.put("INVENTORY_SEED_FILE", seedFile.toString());
    env.put("INVENTORY_HTTP_PORT", String.valueOf(inventoryPort));
    env.put("ORDER_HTTP_PORT", String.valueOf(orderPort));
    env.put("INVENTORY_URL", "http://127.0.0.1:" + inventoryPort);
    env.putAll(extraEnv);
    return env;
  }

  /** Like ./stack: inventory (which seeds the catalogue) healthy first, then order. */
  ServicesUnderTest start() {
    startInventory();
    Poll.until("inventory healthy", Duration.ofSeconds(90), Duration.ofMillis(100), () -> get(inventoryPort, "/health").status() == 200);
    startOrder();
    awaitHealthy();
    return this;
  }

  void startInventory() {
    inventoryTelemetry = telemetry("inventory");
    inventoryVertx = inventoryTelemetry.vertxBuilder().build();
    inventory = await(InventoryApp.deploy(inventoryVertx, InventoryConfig.fromEnv(Env.of(env())), inventoryTelemetry));
  }

  void startOrder() {
    orderTelemetry = telemetry("order");
    orderVertx = orderTelemetry.vertxBuilder().build();
    order = await(OrderApp.deploy(orderVertx, OrderConfig.fromEnv(Env.of(env())), orderTelemetry));
  }

  void awaitHealthy() {
    Poll.until("inventory and order healthy", Duration.ofSeconds(90), Duration.ofMillis(100),
        () -> get(inventoryPort, "/health").status() == 200 && get(orderPort, "/health").status() == 200);
  }

  Telemetry telemetry(String service) {
    return Telemetry.builder(service)
        .override("otel.traces.exporter", "none")
        .override("otel.metrics.exporter", "none")
        .override("otel.logs.exporter", "none")
        .addSpanProcessor(SimpleSpanProcessor.create(spans))
        .addMetricReader(service.equals("order") ? orderMetrics : inventoryMetrics)
        .installLogback(false)
        .runtimeMetrics(false)
        .build();
  }

  Response order(String path) {
    return get(orderPort, path);
  }

  Response inventory(String path) {
    return get(inventoryPort, path);
  }

  Response postOrder(String body) {
    return post(orderPort, "/order-product", body);
  }

  Response placeOrder(String productId, int quantity) {
    return postOrder(new JsonObject().put("productId", productId).put("quantity", quantity).encode());
  }

  Response restock(String body) {
    return post(inventoryPort, "/restock", body);
  }

  /** Stock of a product as inventory reports it. */
  int stockOf(String productId) {
    for (Object o : inventory("/list-products").json().getJsonArray("products")) {
      JsonObject p = (JsonObject) o;
      if (p.getString("productId").equals(productId)) {
        return p.getInteger("stock");
      }
    }
    throw new AssertionError("no product " + productId);
  }

  Response get(int port, String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
  }

  Response post(int port, String path, String body) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("traceparent").orElse(null),
          r.headers().firstValue("content-type").orElse(""), r.headers().firstValue("location").orElse(null), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpClient http() {
    return http;
  }

  /**
   * Another order instance on the same topics, on its own free port (so its own transactional id),
   * with its own Vert.x and SDK: what {@code ./stack up --scale order=2} runs as two processes.
   * Closed with the others.
   */
  int startAnotherOrder() {
    int port = Ports.freePort();
    Map<String, String> env = env();
    env.put("ORDER_HTTP_PORT", String.valueOf(port));
    Telemetry t = telemetry("order");
    Vertx v = t.vertxBuilder().build();
    OrderApp app = await(OrderApp.deploy(v, OrderConfig.fromEnv(Env.of(env)), t));
    others.add(() -> {
      await(app.close());
      t.close();
    });
    Poll.until("order on port " + port + " healthy", Duration.ofSeconds(90), Duration.ofMillis(100), () -> get(port, "/health").status() == 200);
    return port;
  }

  void stopOrder() {
    if (order != null) {
      await(order.close());
      orderTelemetry.close();
      order = null;
    }
  }

  void stopInventory() {
    if (inventory != null) {
      await(inventory.close());
      inventoryTelemetry.close();
      inventory = null;
    }
  }

  @Override
  public void close() {
    others.forEach(Runnable::run);
    others.clear();
    stopOrder();
    stopInventory();
    try {
      Files.deleteIfExists(seedFile);
    } catch (IOException e) {
      // a temp file left behind is harmless
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("did not complete: " + e, e);
    }
  }

  /** An HTTP answer: status, traceparent, content type and location headers, body. */
  record Response(int status, String traceparent, String contentType, String location, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    /** The trace id of the traceparent header. */
    String headerTraceId() {
      return traceparent == null ? null : traceparent.split("-")[1];
    }
  }
}
