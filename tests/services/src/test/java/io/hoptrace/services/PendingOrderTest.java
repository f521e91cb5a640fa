package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.process.Poll;
import io.hoptrace.services.ServicesUnderTest.Response;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** No answer within ORDER_RESULT_TIMEOUT: 202 PENDING, and the order completes once inventory is back. */
@ExtendWith(RealInfrastructure.class)
class PendingOrderTest {
  private ServicesUnderTest services;

  @AfterEach
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void anOrderWithoutAnswerInTimeIsPendingAndCompletesLater(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("sled", 2)).env("ORDER_RESULT_TIMEOUT", "2s").start();
    services.stopInventory();

    long t0 = System.nanoTime();
    Response r = services.placeOrder("sled", 1);
    long tookMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().getString("status")).isEqualTo("PENDING");
    assertThat(r.json().getString("completedAt")).isNull();
    assertThat(r.location()).isEqualTo("/orders/" + r.json().getString("orderId"));
    assertThat(tookMs).isBetween(1_900L, 4_000L);
    assertThat(services.order(r.location()).json().getString("status")).isEqualTo("PENDING");

    services.startInventory();
    Poll.until("the pending order to complete", Duration.ofSeconds(60), Duration.ofMillis(100),
        () -> "CONFIRMED".equals(services.order(r.location()).json().getString("status")));
    assertThat(services.stockOf("sled")).isEqualTo(1);
  }
}
