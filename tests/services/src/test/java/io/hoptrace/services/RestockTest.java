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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * POST /restock against the real services on a real Kafka: a sold-out product is refused, restocked
 * through Kafka, then sold; both traces cross Kafka; a repeated restock changes nothing twice; a new
 * product becomes orderable; bad input changes nothing.
 */
@ExtendWith(RealInfrastructure.class)
class RestockTest {
  private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  private ServicesUnderTest services;

  @AfterEach
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void aSoldOutProductIsSoldAgainAfterARestockThroughKafka(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("kite", 1)).start();
    assertThat(services.placeOrder("kite", 1).json().getString("status")).isEqualTo("CONFIRMED");

    Response refused = services.placeOrder("kite", 1);
    assertThat(refused.json().getString("status")).isEqualTo("REJECTED");
    assertThat(refused.json().getString("reason")).isEqualTo("insufficient_stock");

    Response restock = services.restock("{\"productId\":\"kite\",\"quantity\":3,\"requestId\":\"restock-kite-1\"}");
    assertThat(restock.status()).as(restock.body()).isEqualTo(200);
    assertThat(restock.json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(restock.json().getInteger("stock")).isEqualTo(3);
    assertThat(restock.json().getBoolean("duplicate")).isFalse();
    assertThat(services.stockOf("kite")).isEqualTo(3);

    Response sold = services.placeOrder("kite", 1);
    assertThat(sold.json().getString("status")).as(sold.body()).isEqualTo("CONFIRMED");
    assertThat(services.stockOf("kite")).isEqualTo(2);

    // the restock's own trace: HTTP SERVER -> PRODUCER stock-restocks publish -> CONSUMER stock-restocks process
    String restockTrace = restock.json().getString("traceId");
    Poll.until("the restock's three spans to end", Duration.ofSeconds(20), Duration.ofMillis(50), () -> trace(restockTrace).size() >= 3);
    List<SpanData> spans = trace(restockTrace);
    SpanData server = only(spans, SpanKind.SERVER, "POST /restock");
    SpanData publish = only(spans, SpanKind.PRODUCER, services.restocks + " publish");
    SpanData process = only(spans, SpanKind.CONSUMER, services.restocks + " process");
    assertThat(spans).as("nothing else in the restock's trace: %s", spans).hasSize(3);
    assertThat(server.getParentSpanContext().isValid()).isFalse();
    assertThat(publish.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(process.getParentSpanId()).isEqualTo(publish.getSpanId());
    assertThat(publish.getAttributes().get(DESTINATION)).isEqualTo(services.restocks);
    assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name"))).isEqualTo(services.group);
    assertThat(process.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")))
        .isEqualTo(publish.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")));
    assertThat(process.getAttributes().get(AttributeKey.stringKey("hoptrace.stock.decision"))).isEqualTo("CONFIRMED");

    // the order after it crossed Kafka both ways
    String orderTrace = sold.json().getString("traceId");
    Poll.until("the order's five spans to end", Duration.ofSeconds(20), Duration.ofMillis(50), () -> trace(orderTrace).size() >= 5);
    List<SpanData> order = trace(orderTrace);
    only(order, SpanKind.PRODUCER, services.requests + " publish");
    only(order, SpanKind.CONSUMER, services.requests + " process");
    only(order, SpanKind.PRODUCER, services.results + " publish");
    only(order, SpanKind.CONSUMER, services.results + " process");

    // the same restock again: published, processed, recognised, nothing added
    Response again = services.restock("{\"productId\":\"kite\",\"quantity\":3,\"requestId\":\"restock-kite-1\"}");
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().getBoolean("duplicate")).isTrue();
    assertThat(again.json().getInteger("stock")).isEqualTo(3); // the stock its first application left
    assertThat(services.stockOf("kite")).isEqualTo(2);
  }

  @Test
  void aNewProductBecomesOrderable(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("kite", 1)).start();
    assertThat(services.placeOrder("tablet", 1).status()).isEqualTo(404);

    Response unknown = services.restock("{\"productId\":\"tablet\",\"quantity\":5}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("error")).isEqualTo("unknown_product");

    Response created = services.restock("{\"productId\":\"tablet\",\"quantity\":5,\"create\":true,\"name\":\"Tablet\",\"price\":399}");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(created.json().getInteger("stock")).isEqualTo(5);
    JsonObject listed = product("tablet");
    assertThat(listed.getString("name")).isEqualTo("Tablet");
    assertThat(listed.getDouble("price")).isEqualTo(399.0);

    // order learns the product from inventory-stock; until its reader got there it answers 404 and changes nothing
    Poll.until("order to accept orders for tablet", Duration.ofSeconds(20), Duration.ofMillis(100),
        () -> services.placeOrder("tablet", 2).status() != 404);
    assertThat(services.stockOf("tablet")).isEqualTo(3);
  }

  @Test
  void badRestocksAreRefusedAndChangeNothing(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("kite", 4)).start();
    refused("", 400, "malformed_json", "empty");
    refused("{\"productId\":", 400, "malformed_json", "not valid JSON");
    refused("[1]", 400, "malformed_json", "JSON object");
    refused("{\"quantity\":1}", 400, "missing_field", "productId");
    refused("{\"productId\":\"kite\"}", 400, "missing_field", "quantity");
    refused("{\"productId\":\"ki te\",\"quantity\":1}", 400, "invalid_field", "productId");
    refused("{\"productId\":\"kite\",\"quantity\":0}", 400, "invalid_quantity", "between 1 and 1000000");
    refused("{\"productId\":\"kite\",\"quantity\":-5}", 400, "invalid_quantity", "-5");
    refused("{\"productId\":\"kite\",\"quantity\":1000001}", 400, "invalid_quantity", "1000001");
    refused("{\"productId\":\"kite\",\"quantity\":1.5}", 400, "wrong_type", "integer");
    refused("{\"productId\":\"kite\",\"quantity\":\"3\"}", 400, "wrong_type", "integer");
    refused("{\"productId\":\"kite\",\"quantity\":1,\"requestId\":\"a/b\"}", 400, "invalid_field", "requestId");
    refused("{\"productId\":\"kite\",\"quantity\":1,\"create\":\"yes\"}", 400, "wrong_type", "create");
    refused("{\"productId\":\"new\",\"quantity\":1,\"create\":true,\"price\":-1}", 400, "invalid_price", "price must be between 0 and 1000000, got -1");
    refused("{\"productId\":\"nope\",\"quantity\":1}", 404, "unknown_product", "nope");

    assertThat(services.stockOf("kite")).isEqualTo(4);
    assertThat(services.inventory("/list-products").json().getJsonArray("products")).hasSize(1);
    // nothing was published: the restocks topic is empty
    assertThat(Records.all(services.kafka, services.restocks)).isEmpty();
  }

  private void refused(String body, int status, String code, String messagePart) {
    Response r = services.restock(body);
    assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(status);
    assertThat(r.json().getString("error")).as(r.body()).isEqualTo(code);
    assertThat(r.json().getString("message")).as(r.body()).contains(messagePart);
  }

  private JsonObject product(String id) {
    return services.inventory("/list-products").json().getJsonArray("products").stream()
        .map(JsonObject.class::cast).filter(p -> p.getString("productId").equals(id)).findFirst().orElseThrow();
  }

  private List<SpanData> trace(String traceId) {
    return services.spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }

  private static SpanData only(List<SpanData> spans, SpanKind kind, String name) {
    List<SpanData> found = spans.stream().filter(s -> s.getKind() == kind && s.getName().equals(name)).toList();
    assertThat(found).as("%s span '%s' in %s", kind, name, spans).hasSize(1);
    return found.get(0);
  }
}
