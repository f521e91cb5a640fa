package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.process.Poll;
import io.hoptrace.services.ServicesUnderTest.Response;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every endpoint of order and inventory, and every error case, with exact status codes and JSON bodies. */
@ExtendWith(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiTest {
  private ServicesUnderTest services;

  @BeforeAll
  void start(Infrastructure infra) {
    Map<String, Integer> products = new LinkedHashMap<>();
    products.put("book", 20);
    products.put("lamp", 3);
    products.put("pen", 100);
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), products).start();
  }

  @AfterAll
  void stop() {
    services.close();
  }

  // ---- order

  @Test
  void anOrderIsConfirmedWithItsTraceAndReducesStock() {
    int before = services.stockOf("book");
    Response r = services.placeOrder("book", 2);

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.contentType()).isEqualTo("application/json");
    JsonObject order = r.json();
    assertThat(order.fieldNames()).containsExactlyInAnyOrder(
        "orderId", "productId", "quantity", "status", "reason", "message", "traceId", "createdAt", "completedAt", "idempotencyKey");
    assertThat(order.getString("status")).isEqualTo("CONFIRMED");
    assertThat(order.getString("productId")).isEqualTo("book");
    assertThat(order.getInteger("quantity")).isEqualTo(2);
    assertThat(order.getString("reason")).isNull();
    assertThat(order.getString("completedAt")).isNotNull();
    assertThat(r.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]");
    assertThat(order.getString("traceId")).isEqualTo(r.headerTraceId());
    assertThat(services.stockOf("book")).isEqualTo(before - 2);

    Response one = services.order("/orders/" + order.getString("orderId"));
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json()).isEqualTo(order);
    assertThat(one.traceparent()).isNotNull();

    Response all = services.order("/list-orders");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().getJsonArray("orders").stream().map(o -> ((JsonObject) o).getString("orderId")))
        .contains(order.getString("orderId"));
    assertThat(all.json().getString("traceId")).isEqualTo(all.headerTraceId());
  }

  @Test
  void anOrderBeyondTheStockIsRejectedWithTheReason() {
    Response r = services.placeOrder("lamp", 4);

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().getString("status")).isEqualTo("REJECTED");
    assertThat(r.json().getString("reason")).isEqualTo("insufficient_stock");
    assertThat(r.json().getString("message")).isEqualTo("only 3 of 'lamp' left, 4 requested");
    assertThat(services.stockOf("lamp")).isEqualTo(3);
  }

  @Test
  void invalidOrdersAreRefusedExactlyAndPublishNothing() {
    long before = Records.endOffsetSum(services.kafka, services.requests);
    int ordersBefore = services.order("/list-orders").json().getJsonArray("orders").size();

    assertError(services.postOrder("{\"productId\": \"book\", \"quantity\": "), 400, "malformed_json",
        "the request body is not valid JSON: Unexpected end-of-input within/between Object entries");
    assertError(services.postOrder(""), 400, "malformed_json", "the request body is empty; send a JSON object");
    assertError(services.postOrder("[1, 2]"), 400, "malformed_json", "the request body must be a JSON object, got an array");
    assertError(services.postOrder("{\"quantity\": 1}"), 400, "missing_field", "field 'productId' is required");
    assertError(services.postOrder("{\"productId\": \"book\"}"), 400, "missing_field", "field 'quantity' is required");
    assertError(services.postOrder("{\"productId\": 7, \"quantity\": 1}"), 400, "wrong_type", "field 'productId' must be a string, got a number");
    assertError(services.postOrder("{\"productId\": \"book\", \"quantity\": \"1\"}"), 400, "wrong_type", "field 'quantity' must be an integer, got a string");
    assertError(services.postOrder("{\"productId\": \"book\", \"quantity\": 1.5}"), 400, "wrong_type", "field 'quantity' must be an integer, got 1.5");
    assertError(services.postOrder("{\"productId\": \"book\", \"quantity\": 0}"), 400, "invalid_quantity", "quantity must be between 1 and 1000, got 0");
    assertError(services.postOrder("{\"productId\": \"book\", \"quantity\": -3}"), 400, "invalid_quantity", "quantity must be between 1 and 1000, got -3");
    assertError(services.postOrder("{\"productId\": \"book\", \"quantity\": 1001}"), 400, "invalid_quantity", "quantity must be between 1 and 1000, got 1001");
    assertError(services.postOrder("{\"productId\": \"book\", \"quantity\": 100000000000000000000}"), 400, "invalid_quantity",
        "quantity must be between 1 and 1000, got 100000000000000000000");
    assertError(services.postOrder("{\"productId\": \"no such/thing\", \"quantity\": 1}"), 400, "invalid_field",
        "field 'productId' must be 1 to 64 letters, digits, '.', '_' or '-', got \"no such/thing\"");
    assertError(services.postOrder("{\"productId\": \"unicorn\", \"quantity\": 1}"), 404, "unknown_product",
        "no product 'unicorn'; see GET /list-products");

    assertThat(Records.endOffsetSum(services.kafka, services.requests)).isEqualTo(before);
    assertThat(services.order("/list-orders").json().getJsonArray("orders").size()).isEqualTo(ordersBefore);
  }

  @Test
  void unknownOrderIs404() {
    ServicesUnderTest.Response r = services.order("/orders/4b1d-nothing");
    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(r.json().getString("error")).isEqualTo("unknown_order");
    // what is kept varies with the orders other tests of this class placed: the documented shape
    assertThat(r.json().getString("message")).startsWith("no order '4b1d-nothing' among the orders this service keeps (the newest 100000 orders of the last 7d")
        .endsWith("): it never existed, or it is older and no longer kept; see GET /list-orders");
  }

  @Test
  void orderListsProductsByAskingInventory() {
    Response viaOrder = services.order("/list-products");
    Response direct = services.inventory("/list-products");

    assertThat(viaOrder.status()).isEqualTo(200);
    assertThat(viaOrder.json().getJsonArray("products")).isEqualTo(direct.json().getJsonArray("products"));
    assertThat(viaOrder.json().getString("traceId")).isEqualTo(viaOrder.headerTraceId());
  }

  @Test
  void unknownPathsAndMethodsAreJsonErrors() {
    assertError(services.order("/nothing-here"), 404, "not_found", "no such endpoint: GET /nothing-here; see /docs");
    assertError(services.post(services.orderPort, "/list-orders", "{}"), 405, "method_not_allowed", "POST is not allowed on /list-orders; see /docs");
    assertError(services.inventory("/orders/x"), 404, "not_found", "no such endpoint: GET /orders/x; see /docs");
  }

  // ---- inventory

  @Test
  void inventoryListsProductsWithStock() {
    Response r = services.inventory("/list-products");

    assertThat(r.status()).isEqualTo(200);
    JsonObject pen = r.json().getJsonArray("products").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("productId").equals("pen")).findFirst().orElseThrow();
    assertThat(pen.fieldNames()).containsExactlyInAnyOrder("productId", "name", "price", "stock");
    assertThat(pen.getString("name")).isEqualTo("Test pen");
    assertThat(r.json().getString("traceId")).isEqualTo(r.headerTraceId());
  }

  @Test
  void reduceStockAppliesOncePerRequestId() {
    int before = services.stockOf("pen");
    String body = "{\"productId\": \"pen\", \"quantity\": 5, \"requestId\": \"refill-check-1\"}";

    Response first = services.post(services.inventoryPort, "/reduce-stock", body);
    Response again = services.post(services.inventoryPort, "/reduce-stock", body);

    assertThat(first.status()).isEqualTo(200);
    JsonObject expected = new JsonObject().put("requestId", "refill-check-1").put("productId", "pen").put("quantity", 5)
        .put("status", "CONFIRMED").put("stock", before - 5);
    assertThat(first.json().copy().put("traceId", (String) null)).isEqualTo(expected.copy().put("traceId", (String) null));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getInteger("stock")).isEqualTo(before - 5);
    assertThat(services.stockOf("pen")).isEqualTo(before - 5);
  }

  /** A direct reduction's trace shows the wait for the stock keeper and the Kafka transaction, with the decision. */
  @Test
  void aDirectReductionIsTracedThroughItsTransaction() {
    String body = "{\"productId\": \"pen\", \"quantity\": 1, \"requestId\": \"traced-reduction-1\"}";
    SpanData first = stockTransactionOf(services.post(services.inventoryPort, "/reduce-stock", body));
    SpanData again = stockTransactionOf(services.post(services.inventoryPort, "/reduce-stock", body));
    SpanData refused = stockTransactionOf(services.post(services.inventoryPort, "/reduce-stock", "{\"productId\": \"pen\", \"quantity\": 1000}"));

    for (SpanData s : List.of(first, again, refused)) {
      assertThat(s.getKind()).isEqualTo(SpanKind.INTERNAL);
      assertThat(s.getAttributes().get(AttributeKey.stringKey("hoptrace.product.id"))).isEqualTo("pen");
      assertThat(s.getAttributes().get(AttributeKey.stringKey("hoptrace.stock.source"))).isEqualTo("http");
    }
    assertThat(first.getAttributes().get(AttributeKey.stringKey("hoptrace.stock.request_id"))).isEqualTo("traced-reduction-1");
    assertThat(first.getAttributes().get(AttributeKey.stringKey("hoptrace.stock.decision"))).isEqualTo("CONFIRMED");
    assertThat(first.getAttributes().get(AttributeKey.booleanKey("hoptrace.stock.duplicate"))).isFalse();
    assertThat(again.getAttributes().get(AttributeKey.booleanKey("hoptrace.stock.duplicate"))).as("the repeated request").isTrue();
    assertThat(refused.getAttributes().get(AttributeKey.stringKey("hoptrace.stock.decision"))).isEqualTo("REJECTED");
    assertThat(refused.getAttributes().get(AttributeKey.longKey("hoptrace.stock.quantity"))).isEqualTo(1000L);
  }

  /** The {@code stock transaction} span of a /reduce-stock response, checked to be the only child of its SERVER span. */
  private SpanData stockTransactionOf(Response r) {
    List<SpanData> trace = traceOf(r);
    assertThat(trace).as("SERVER span and its stock transaction: %s", trace).hasSize(2);
    SpanData server = trace.stream().filter(sp -> sp.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    SpanData tx = trace.stream().filter(sp -> sp != server).findFirst().orElseThrow();
    assertThat(tx.getName()).isEqualTo("stock transaction");
    assertThat(tx.getParentSpanId()).isEqualTo(server.getSpanId());
    return tx;
  }

  @Test
  void reduceStockErrors() {
    int before = services.stockOf("lamp");
    long decisionsBefore = Records.endOffsetSum(services.kafka, services.decisions);

    assertError(services.post(services.inventoryPort, "/reduce-stock", "{\"productId\": \"lamp\", \"quantity\": 4}"), 409,
        "insufficient_stock", "only 3 of 'lamp' left, 4 requested");
    assertError(services.post(services.inventoryPort, "/reduce-stock", "{\"productId\": \"unicorn\", \"quantity\": 1}"), 404,
        "unknown_product", "no product 'unicorn'; see GET /list-products");
    assertError(services.post(services.inventoryPort, "/reduce-stock", "{\"productId\": \"lamp\"}"), 400,
        "missing_field", "field 'quantity' is required");
    assertError(services.post(services.inventoryPort, "/reduce-stock", "{\"productId\": \"lamp\", \"quantity\": 0}"), 400,
        "invalid_quantity", "quantity must be between 1 and 1000, got 0");
    assertError(services.post(services.inventoryPort, "/reduce-stock", "{\"productId\": \"lamp\", \"quantity\": true}"), 400,
        "wrong_type", "field 'quantity' must be an integer, got a boolean");
    assertError(services.post(services.inventoryPort, "/reduce-stock", "{\"productId\": \"lamp\", \"quantity\": 1, \"requestId\": 5}"), 400,
        "wrong_type", "field 'requestId' must be a string, got a number");
    assertError(services.post(services.inventoryPort, "/reduce-stock", "nope"), 400,
        "malformed_json", "the request body is not valid JSON: Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");

    assertThat(services.stockOf("lamp")).isEqualTo(before);
    assertThat(Records.endOffsetSum(services.kafka, services.decisions)).isEqualTo(decisionsBefore);
  }

  // ---- both

  /** A request a handler refuses keeps its route on the SERVER span: errors count against the endpoint, not a bare method. */
  @Test
  void refusedRequestsAreNamedByTheirRoute() {
    assertThat(serverSpanOf(services.postOrder("{\"productId\": \"book\"}"), 400))
        .as("a 400 from a handler").isEqualTo("POST /order-product | /order-product");
    assertThat(serverSpanOf(services.postOrder("{\"productId\": \"unicorn\", \"quantity\": 1}"), 404))
        .as("a 404 from a handler").isEqualTo("POST /order-product | /order-product");
    assertThat(serverSpanOf(services.order("/orders/4b1d-nothing"), 404))
        .as("a path parameter").isEqualTo("GET /orders/{id} | /orders/{id}");
    assertThat(serverSpanOf(services.post(services.inventoryPort, "/reduce-stock", "nope"), 400))
        .as("inventory").isEqualTo("POST /reduce-stock | /reduce-stock");
    assertThat(serverSpanOf(services.order("/nothing-here"), 404))
        .as("no route matched: the method alone").isEqualTo("GET | null");
  }

  /** "name | http.route" of the SERVER span of the response's trace, once it has ended. */
  private String serverSpanOf(Response r, int status) {
    assertThat(r.status()).isEqualTo(status);
    return traceOf(r).stream()
        .filter(sp -> sp.getKind() == SpanKind.SERVER)
        .map(sp -> sp.getName() + " | " + sp.getAttributes().get(AttributeKey.stringKey("http.route")))
        .findFirst().orElseThrow();
  }

  /** The finished spans of the response's trace, once its SERVER span (the last to end) has ended. */
  private List<SpanData> traceOf(Response r) {
    String traceId = r.headerTraceId();
    Poll.until("the SERVER span of trace " + traceId, Duration.ofSeconds(10), Duration.ofMillis(50),
        () -> services.spans.getFinishedSpanItems().stream().anyMatch(sp -> sp.getTraceId().equals(traceId) && sp.getKind() == SpanKind.SERVER));
    return services.spans.getFinishedSpanItems().stream().filter(sp -> sp.getTraceId().equals(traceId)).toList();
  }

  /** Health checks are not traced (HOPTRACE_UNTRACED_PATHS); the calls around them are. */
  @Test
  void healthChecksMakeNoSpans() {
    Response health = services.get(services.orderPort, "/health");
    assertThat(health.status()).isEqualTo(200);
    Response list = services.order("/list-products");
    assertThat(list.status()).isEqualTo(200);
    String traceId = list.traceparent().split("-")[1];
    // the SERVER span of /list-products ends after that of /health began and ended: once it is exported, a /health span would be too
    Poll.until("the SERVER span of GET /list-products", Duration.ofSeconds(10), Duration.ofMillis(50),
        () -> services.spans.getFinishedSpanItems().stream().anyMatch(sp -> sp.getTraceId().equals(traceId)
            && sp.getKind() == SpanKind.SERVER && "order".equals(sp.getResource().getAttribute(
                AttributeKey.stringKey("service.name")))));
    assertThat(services.spans.getFinishedSpanItems())
        .as("spans of /health")
        .noneMatch(sp -> "/health".equals(sp.getAttributes().get(AttributeKey.stringKey("url.path"))));
    String flags = health.traceparent().substring(health.traceparent().lastIndexOf('-') + 1);
    assertThat(Integer.parseInt(flags, 16) & 1).as("the health check's context says: not sampled (%s)", health.traceparent()).isZero();
  }

  @Test
  void healthSaysUpWithKafkaAndCaughtUp() {
    for (int port : new int[] {services.orderPort, services.inventoryPort}) {
      Response r = services.get(port, "/health");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().getString("status")).isEqualTo("UP");
      assertThat(r.json().getBoolean("caughtUp")).isTrue();
      JsonObject checks = r.json().getJsonObject("checks");
      assertThat(checks.getJsonObject("kafka").getString("status")).isEqualTo("UP");
      assertThat(checks.getJsonObject("kafka").getString("reason")).isEqualTo("1 broker(s) reachable at " + services.kafka);
      assertThat(checks.getJsonObject("kafka").getJsonObject("details").getString("bootstrapServers")).isEqualTo(services.kafka);
      assertThat(checks.getJsonObject("state").getString("status")).isEqualTo("UP");
    }
  }

  @Test
  void openApiAndSwaggerUiAreServedFromTheWebjar() {
    for (int port : new int[] {services.orderPort, services.inventoryPort}) {
      Response spec = services.get(port, "/openapi.yaml");
      assertThat(spec.status()).isEqualTo(200);
      assertThat(spec.body()).startsWith("openapi: 3.0.3");
      Response redirect = services.get(port, "/docs");
      assertThat(redirect.status()).isEqualTo(302);
      Response page = services.get(port, "/docs/");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body()).contains("swagger-ui-bundle.js").doesNotContain("://");
      assertThat(services.get(port, "/docs/swagger-initializer.js").body()).contains("url: '/openapi.yaml'");
      Response bundle = services.get(port, "/docs/swagger-ui-bundle.js");
      assertThat(bundle.status()).isEqualTo(200);
      assertThat(bundle.body().length()).isGreaterThan(100_000);
    }
    assertThat(services.order("/openapi.yaml").body())
        .contains("/health:", "/list-orders:", "/list-products:", "/order-product:", "/orders/{id}:");
    assertThat(services.inventory("/openapi.yaml").body()).contains("/health:", "/list-products:", "/reduce-stock:");
  }

  private static void assertError(Response r, int status, String code, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).isEqualTo("application/json");
    JsonObject body = r.json();
    assertThat(body.fieldNames()).isEqualTo(Set.of("error", "message", "traceId"));
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("message")).isEqualTo(message);
    assertThat(body.getString("traceId")).isEqualTo(r.headerTraceId());
  }
}
