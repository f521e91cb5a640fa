package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The last items of a product never oversell, however many orders arrive at once. */
@ExtendWith(RealInfrastructure.class)
class ConcurrencyTest {
  private ServicesUnderTest services;

  @AfterEach
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void twoHundredOrdersForFiftyItemsConfirmExactlyFifty(Infrastructure infra) throws Exception {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("ticket", 50)).start();
    HttpRequest order = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + services.orderPort + "/order-product"))
        .header("content-type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"ticket\", \"quantity\": 1}"))
        .build();

    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(services.http().sendAsync(order, HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

    List<String> ids = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.get();
      assertThat(r.statusCode()).as(r.body()).isIn(201, 202);
      ids.add(new JsonObject(r.body()).getString("orderId"));
    }
    assertThat(ids).doesNotHaveDuplicates().hasSize(200);
    // an order answered 202 (no answer within the timeout on a busy machine) completes later
    Poll.until("all 200 orders completed", Duration.ofSeconds(60), Duration.ofMillis(200), () ->
        services.order("/list-orders").json().getJsonArray("orders").stream()
            .filter(o -> ids.contains(((JsonObject) o).getString("orderId")))
            .allMatch(o -> !"PENDING".equals(((JsonObject) o).getString("status"))));

    List<JsonObject> orders = services.order("/list-orders").json().getJsonArray("orders").stream()
        .map(JsonObject.class::cast).filter(o -> ids.contains(o.getString("orderId"))).toList();
    assertThat(orders).hasSize(200);
    assertThat(orders.stream().filter(o -> "CONFIRMED".equals(o.getString("status")))).hasSize(50);
    assertThat(orders.stream().filter(o -> "REJECTED".equals(o.getString("status"))))
        .hasSize(150)
        .allMatch(o -> "insufficient_stock".equals(o.getString("reason")));
    assertThat(services.stockOf("ticket")).isZero();
  }
}
