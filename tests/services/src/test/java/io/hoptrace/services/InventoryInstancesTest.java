package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.config.Env;
import io.hoptrace.inventory.InventoryApp;
import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.process.Poll;
import io.hoptrace.process.Ports;
import io.hoptrace.services.ServicesUnderTest.Response;
import io.hoptrace.telemetry.Telemetry;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two inventory instances in one consumer group behind one order service, on a real Kafka (ADR 001):
 * each decides the products of its partitions; either lists every product; a direct reduction of a
 * product the other owns is handed to it through Kafka (202) and decided there once per requestId.
 */
@ExtendWith(RealInfrastructure.class)
class InventoryInstancesTest {
  private static final Duration WITHIN = Duration.ofSeconds(90);
  private ServicesUnderTest services;
  private Vertx secondVertx;
  private Telemetry secondTelemetry;
  private InventoryApp second;

  @AfterEach
  void stop() {
    if (second != null) {
      ServicesUnderTest.await(second.close());
      secondTelemetry.close();
    }
    if (services != null) {
      services.close();
    }
  }

  @Test
  void eitherInstanceAnswersForEveryProductAndTheOwnerDecides(Infrastructure infra) {
    Map<String, Integer> catalogue = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      catalogue.put("gadget-" + i, 5);
    }
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), catalogue).start();
    int secondPort = Ports.freePort();
    Map<String, String> env = services.env();
    env.put("INVENTORY_HTTP_PORT", String.valueOf(secondPort));
    secondTelemetry = Telemetry.builder("inventory")
        .override("otel.traces.exporter", "none").override("otel.metrics.exporter", "none").override("otel.logs.exporter", "none")
        .installLogback(false).runtimeMetrics(false).build();
    secondVertx = secondTelemetry.vertxBuilder().build();
    second = ServicesUnderTest.await(InventoryApp.deploy(secondVertx, InventoryConfig.fromEnv(Env.of(env)), secondTelemetry));

    Poll.until("the second instance to own some partitions, not all", WITHIN, Duration.ofMillis(100), () -> {
      Set<Integer> owned = second.keeper().ownedPartitions();
      return !owned.isEmpty() && owned.size() < 3 && services.get(secondPort, "/health").status() == 200
          && services.inventory("/health").status() == 200;
    });
    String elsewhere = catalogue.keySet().stream().filter(p -> !second.keeper().owns(p)).findFirst().orElseThrow();
    String here = catalogue.keySet().stream().filter(p -> second.keeper().owns(p)).findFirst().orElseThrow();

    Poll.until("every product, owned or not, in the second instance's list", WITHIN, Duration.ofMillis(100),
        () -> services.get(secondPort, "/list-products").json().getJsonArray("products").stream()
            .map(o -> ((JsonObject) o).getString("productId")).collect(java.util.stream.Collectors.toSet()).equals(catalogue.keySet()));

    Response forwarded = services.post(secondPort, "/reduce-stock",
        new JsonObject().put("productId", elsewhere).put("quantity", 2).put("requestId", "direct-1").encode());
    assertThat(forwarded.status()).as(forwarded.body()).isEqualTo(202);
    assertThat(forwarded.json().getString("status")).isEqualTo("PENDING");
    Poll.until("the owner's decision in the second instance's list", WITHIN, Duration.ofMillis(100),
        () -> stockIn(services.get(secondPort, "/list-products"), elsewhere) == 3);
    // the first instance may still be taking its partitions: a 202 (handed on) or 503 is safe to repeat
    java.util.concurrent.atomic.AtomicReference<Response> owner = new java.util.concurrent.atomic.AtomicReference<>();
    Poll.until("the owner's own answer", WITHIN, Duration.ofMillis(200), () -> {
      owner.set(services.post(services.inventoryPort, "/reduce-stock",
          new JsonObject().put("productId", elsewhere).put("quantity", 2).put("requestId", "direct-1").encode()));
      return owner.get().status() == 200;
    });
    Response atOwner = owner.get();
    assertThat(atOwner.json().getInteger("stock")).as("the same requestId was decided once, by the owner").isEqualTo(3);
    assertThat(stockIn(services.inventory("/list-products"), elsewhere)).isEqualTo(3);

    Response local = services.post(secondPort, "/reduce-stock",
        new JsonObject().put("productId", here).put("quantity", 1).put("requestId", "direct-2").encode());
    assertThat(local.status()).as(local.body()).isEqualTo(200);
    assertThat(local.json().getInteger("stock")).isEqualTo(4);

    for (String p : List.of(elsewhere, here)) {
      Response placed = services.placeOrder(p, 1);
      assertThat(placed.json().getString("status")).as("an order for " + p + ": " + placed.body()).isEqualTo("CONFIRMED");
    }
    assertThat(second.keeper().products().get(here).stock()).as("decided by the second instance").isEqualTo(3);
    Poll.until("the first instance's sale seen by the second", WITHIN, Duration.ofMillis(100),
        () -> stockIn(services.get(secondPort, "/list-products"), elsewhere) == 2);
  }

  private static int stockIn(Response list, String productId) {
    return list.json().getJsonArray("products").stream().map(o -> (JsonObject) o)
        .filter(p -> p.getString("productId").equals(productId)).findFirst().orElseThrow().getInteger("stock");
  }
}
