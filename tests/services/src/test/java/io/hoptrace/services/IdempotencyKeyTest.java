package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.order.orders.IdempotencyKey;
import io.hoptrace.services.ServicesUnderTest.Response;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Idempotency-Key} on {@code POST /order-product}: a retry answers with the first order and
 * places nothing, on the same instance and after a restart (the key travels in the Kafka record);
 * a key reused for another order and a malformed key are refused and change nothing.
 */
@ExtendWith(RealInfrastructure.class)
class IdempotencyKeyTest {
  private ServicesUnderTest services;

  @AfterEach
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void aRetryWithTheSameKeyAnswersWithTheFirstOrder(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("lamp", 10)).start();
    String key = UUID.randomUUID().toString();

    Response first = order(key, "lamp", 2);
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(first.json().getString("idempotencyKey")).isEqualTo(key);
    String orderId = first.json().getString("orderId");
    assertThat(orderId).isEqualTo(IdempotencyKey.orderId(key));

    Response retry = order(key, "lamp", 2);
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json().getString("orderId")).isEqualTo(orderId);
    assertThat(retry.json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(services.stockOf("lamp")).as("reduced once").isEqualTo(8);
    assertThat(Records.all(services.kafka, services.requests)).as("one request published").hasSize(1);

    // the key is remembered through Kafka: a restarted order service answers the same
    services.stopOrder();
    services.startOrder();
    services.awaitHealthy();
    Response afterRestart = order(key, "lamp", 2);
    assertThat(afterRestart.status()).as(afterRestart.body()).isEqualTo(200);
    assertThat(afterRestart.json().getString("orderId")).isEqualTo(orderId);
    assertThat(services.stockOf("lamp")).isEqualTo(8);
    assertThat(services.order("/list-orders").json().getJsonArray("orders")).hasSize(1);

    // another key is another order
    Response other = order(UUID.randomUUID().toString(), "lamp", 2);
    assertThat(other.status()).isEqualTo(201);
    assertThat(other.json().getString("orderId")).isNotEqualTo(orderId);
    assertThat(services.stockOf("lamp")).isEqualTo(6);
  }

  @Test
  void aKeyReusedForAnotherOrderOrMalformedIsRefusedAndChangesNothing(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("desk", 10)).start();
    String key = "order-" + UUID.randomUUID();
    assertThat(order(key, "desk", 1).status()).isEqualTo(201);
    long written = Records.endOffsetSum(services.kafka, services.requests);

    Response reused = order(key, "desk", 3);
    assertThat(reused.status()).as(reused.body()).isEqualTo(422);
    assertThat(reused.json().getString("error")).isEqualTo("idempotency_key_reused");
    assertThat(reused.json().getString("message")).contains(IdempotencyKey.orderId(key)).contains("1 x desk");

    Response tooLong = order("k".repeat(256), "desk", 1);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().getString("error")).isEqualTo("invalid_idempotency_key");
    assertThat(tooLong.json().getString("message")).isEqualTo("Idempotency-Key must be 1 to 255 characters long, got 256");

    Response control = order("a\tb", "desk", 1);
    assertThat(control.status()).isEqualTo(400);
    assertThat(control.json().getString("message")).isEqualTo("Idempotency-Key must be printable ASCII; character 2 is not");

    assertThat(Records.endOffsetSum(services.kafka, services.requests)).as("nothing published").isEqualTo(written);
    assertThat(services.stockOf("desk")).isEqualTo(9);
    assertThat(services.order("/list-orders").json().getJsonArray("orders")).hasSize(1);
  }

  private Response order(String key, String productId, int quantity) {
    return services.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + services.orderPort + "/order-product"))
        .header("content-type", "application/json")
        .header(IdempotencyKey.HEADER, key)
        .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"" + productId + "\", \"quantity\": " + quantity + "}")));
  }
}
