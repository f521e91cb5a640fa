package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.kafka.embedded.EmbeddedKafka;
import io.hoptrace.process.Poll;
import io.hoptrace.services.ServicesUnderTest.Response;
import io.hoptrace.testsupport.Infrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Kafka down an order is refused with 503 within the timeout, and no half-created order is left
 * behind; a retry with the same Idempotency-Key once Kafka is back places it.
 */
class KafkaUnavailableTest {
  @TempDir Path dir;

  @Test
  void anOrderWhileKafkaIsDownIs503AndLeavesNothing() throws Exception {
    try (EmbeddedKafka kafka = Infrastructure.privateKafka(dir.resolve("kafka"));
        ServicesUnderTest services = new ServicesUnderTest(kafka.bootstrapServers(), Map.of("cup", 5))) {
      services.start();
      assertThat(services.placeOrder("cup", 1).json().getString("status")).isEqualTo("CONFIRMED");

      kafka.stop();
      long t0 = System.nanoTime();
      Response r = services.placeOrder("cup", 1);
      long tookMs = (System.nanoTime() - t0) / 1_000_000;

      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(r.json().getString("error")).isEqualTo("kafka_unavailable");
      assertThat(r.json().getString("message"))
          .startsWith("Kafka did not accept the stock-reduction request within 3000 ms (")
          .endsWith("); the order was not created, try again later");
      assertThat(tookMs).as("answered within ORDER_RESULT_TIMEOUT (5 s)").isLessThan(5_000);

      // several at once: sends queue behind each other while Kafka is away, answers stay in time
      HttpRequest another = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + services.orderPort + "/order-product"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"cup\", \"quantity\": 1}")).build();
      long t1 = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        burst.add(services.http().sendAsync(another, HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> f : burst) {
        assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
      }
      assertThat((System.nanoTime() - t1) / 1_000_000).as("the whole burst answered within 5.5 s").isLessThan(5_500);
      assertThat(services.order("/list-orders").json().getJsonArray("orders")).hasSize(1);
      HttpRequest keyed = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + services.orderPort + "/order-product"))
          .header("Idempotency-Key", "retry-me").POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"cup\", \"quantity\": 1}")).build();
      assertThat(services.http().send(keyed, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
      Response health = services.order("/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().getString("reason")).startsWith("Kafka is unreachable at " + kafka.bootstrapServers());
      assertThat(health.json().getJsonObject("checks").getJsonObject("kafka").getString("status")).isEqualTo("DOWN");

      kafka.restart();
      services.awaitHealthy();
      Poll.until("inventory to answer again", Duration.ofSeconds(60), Duration.ofMillis(200), () -> services.inventory("/list-products").status() == 200);
      assertThat(services.order("/list-orders").json().getJsonArray("orders")).hasSize(1);
      assertThat(Records.all(kafka.bootstrapServers(), services.requests)).hasSize(1);
      assertThat(services.stockOf("cup")).isEqualTo(4);
      // "not created" was true: the same key now places the order, once
      HttpResponse<String> retried = services.http().send(keyed, HttpResponse.BodyHandlers.ofString());
      assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
      HttpResponse<String> again = services.http().send(keyed, HttpResponse.BodyHandlers.ofString());
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
      assertThat(again.body()).contains("\"status\":\"CONFIRMED\"");
      assertThat(services.stockOf("cup")).isEqualTo(3);
      assertThat(services.placeOrder("cup", 1).json().getString("status")).isEqualTo("CONFIRMED");
    }
  }
}
