package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.process.Poll;
import io.hoptrace.services.ServicesUnderTest.Response;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Order's memory bounded by {@code ORDER_MEMORY_ORDERS} and {@code ORDER_MEMORY_WINDOW}: beyond the
 * bound the oldest orders are dropped and answer the documented 404, also after a restart (the
 * rebuild keeps no more than the bound).
 */
@ExtendWith(RealInfrastructure.class)
class OrderMemoryBoundTest {
  private ServicesUnderTest services;

  @AfterEach
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void keepsTheNewestOrdersUpToTheCountAlsoAfterARestart(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("nail", 100))
        .env("ORDER_MEMORY_ORDERS", "2").start();
    String first = confirmed(services.placeOrder("nail", 1));
    String second = confirmed(services.placeOrder("nail", 1));
    String third = confirmed(services.placeOrder("nail", 1));

    assertThat(ids()).containsExactly(second, third);
    assertNotKept(first);
    assertThat(services.order("/orders/" + second).status()).isEqualTo(200);
    JsonObject memory = services.order("/health").json().getJsonObject("memory");
    assertThat(memory.getInteger("orders")).isEqualTo(2);
    assertThat(memory.getInteger("maxOrders")).isEqualTo(2);

    services.stopOrder();
    services.startOrder();
    services.awaitHealthy();

    assertThat(ids()).containsExactly(second, third);
    assertNotKept(first);
    assertThat(services.order("/orders/" + third).json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(services.stockOf("nail")).isEqualTo(97);
  }

  @Test
  void dropsOrdersOlderThanTheWindowAndDoesNotRebuildThem(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("screw", 100))
        .env("ORDER_MEMORY_WINDOW", "4s").start();
    String old = confirmed(services.placeOrder("screw", 1));
    Poll.until("the order falls out of the 4 s window", Duration.ofSeconds(30), Duration.ofMillis(200),
        () -> services.order("/orders/" + old).status() == 404);
    assertNotKept(old);

    services.stopOrder();
    services.startOrder();
    services.awaitHealthy();

    assertThat(ids()).isEmpty();
    assertNotKept(old);
    String fresh = confirmed(services.placeOrder("screw", 2));
    assertThat(ids()).containsExactly(fresh);
    assertThat(services.stockOf("screw")).isEqualTo(97);
  }

  private String confirmed(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().getString("status")).isEqualTo("CONFIRMED");
    return r.json().getString("orderId");
  }

  private void assertNotKept(String orderId) {
    Response r = services.order("/orders/" + orderId);
    assertThat(r.status()).as(r.body()).isEqualTo(404);
    assertThat(r.json().getString("error")).isEqualTo("unknown_order");
    assertThat(r.json().getString("message")).contains("no longer kept");
  }

  private List<String> ids() {
    return services.order("/list-orders").json().getJsonArray("orders").stream()
        .map(o -> ((JsonObject) o).getString("orderId")).toList();
  }
}
