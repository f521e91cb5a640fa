package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.order.orders.IdempotencyKey;
import io.hoptrace.process.Poll;
import io.hoptrace.services.ServicesUnderTest.Response;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two order instances on the same topics (each reads every partition of the requests and results):
 * an order placed on one is visible with its final status on the other, the instance that took a
 * request answers it, and a retry with the same {@code Idempotency-Key} on the other instance answers
 * with the first order instead of placing a second.
 */
@ExtendWith(RealInfrastructure.class)
class OrderInstancesTest {
  private ServicesUnderTest services;

  @AfterEach
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void anOrderPlacedOnOneInstanceIsKnownToTheOtherAndARetryThereAnswersWithIt(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("kettle", 10)).start();
    int a = services.orderPort;
    int b = services.startAnotherOrder();
    String key = UUID.randomUUID().toString();

    Response placed = order(a, key, "kettle", 2);
    assertThat(placed.status()).as(placed.body()).isEqualTo(201);
    assertThat(placed.json().getString("status")).isEqualTo("CONFIRMED");
    String orderId = placed.json().getString("orderId");

    // B read A's request and inventory's result: the order, final, under the same id
    Poll.until("B knows A's order as CONFIRMED", Duration.ofSeconds(30), Duration.ofMillis(50),
        () -> {
          Response r = services.get(b, "/orders/" + orderId);
          return r.status() == 200 && "CONFIRMED".equals(r.json().getString("status"));
        });
    assertThat(ids(services.get(b, "/list-orders"))).containsExactly(orderId);

    Response retry = order(b, key, "kettle", 2);
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json().getString("orderId")).isEqualTo(orderId);
    assertThat(retry.json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(Records.all(services.kafka, services.requests)).as("one request published").hasSize(1);
    assertThat(services.stockOf("kettle")).as("reduced once").isEqualTo(8);

    // the instance that takes a request answers it, and A learns B's order
    Response onB = services.post(b, "/order-product", "{\"productId\": \"kettle\", \"quantity\": 3}");
    assertThat(onB.status()).as(onB.body()).isEqualTo(201);
    assertThat(onB.json().getString("status")).isEqualTo("CONFIRMED");
    String second = onB.json().getString("orderId");
    Poll.until("A knows B's order as CONFIRMED", Duration.ofSeconds(30), Duration.ofMillis(50),
        () -> {
          Response r = services.get(a, "/orders/" + second);
          return r.status() == 200 && "CONFIRMED".equals(r.json().getString("status"));
        });
    assertThat(ids(services.get(a, "/list-orders"))).containsExactly(orderId, second);
    assertThat(services.stockOf("kettle")).isEqualTo(5);
  }

  @Test
  void theSameKeyOnBothInstancesAtOnceIsOneOrder(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("mug", 10)).start();
    int a = services.orderPort;
    int b = services.startAnotherOrder();
    String key = UUID.randomUUID().toString();

    // neither instance has read the other's request yet: both may publish; inventory decides the id once
    CompletableFuture<Response> onA = CompletableFuture.supplyAsync(() -> order(a, key, "mug", 4));
    CompletableFuture<Response> onB = CompletableFuture.supplyAsync(() -> order(b, key, "mug", 4));
    for (Response r : List.of(onA.join(), onB.join())) {
      assertThat(r.status()).as(r.body()).isIn(200, 201, 202);
      assertThat(r.json().getString("orderId")).isEqualTo(IdempotencyKey.orderId(key));
    }

    for (int port : new int[] {a, b}) {
      Poll.until("order CONFIRMED on " + port, Duration.ofSeconds(30), Duration.ofMillis(50),
          () -> "CONFIRMED".equals(services.get(port, "/orders/" + IdempotencyKey.orderId(key)).json().getString("status")));
      assertThat(ids(services.get(port, "/list-orders"))).containsExactly(IdempotencyKey.orderId(key));
    }
    assertThat(services.stockOf("mug")).as("reduced once").isEqualTo(6);
  }

  private static List<String> ids(Response list) {
    JsonArray orders = list.json().getJsonArray("orders");
    return orders.stream().map(o -> ((io.vertx.core.json.JsonObject) o).getString("orderId")).toList();
  }

  private Response order(int port, String key, String productId, int quantity) {
    return services.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/order-product"))
        .header("content-type", "application/json")
        .header(IdempotencyKey.HEADER, key)
        .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"" + productId + "\", \"quantity\": " + quantity + "}")));
  }
}
