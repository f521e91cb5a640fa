package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The services' metrics: HTTP latency, orders by outcome, stock per product, Kafka consumer lag. */
@ExtendWith(RealInfrastructure.class)
class MetricsTest {
  private ServicesUnderTest services;

  @AfterEach
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void ordersStockLatencyAndLagAreMeasured(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("mug", 4)).start();
    assertThat(services.placeOrder("mug", 3).json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(services.placeOrder("mug", 3).json().getString("status")).isEqualTo("REJECTED");

    // the server records a request's duration when its response has ended, which can be a moment after
    // the client has read it: wait (briefly) until both orders are counted
    Poll.until("both orders' request durations recorded", Duration.ofSeconds(5), Duration.ofMillis(100),
        () -> orderRequestsCounted(services.orderMetrics.collectAllMetrics()) >= 2);
    Collection<MetricData> order = services.orderMetrics.collectAllMetrics();
    Collection<MetricData> inventory = services.inventoryMetrics.collectAllMetrics();

    MetricData latency = metric(order, "http.server.request.duration");
    assertThat(latency.getUnit()).isEqualTo("s");
    assertThat(latency.getHistogramData().getPoints())
        .anySatisfy(p -> {
          assertThat(p.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/order-product");
          assertThat(p.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(201L);
          assertThat(p.getCount()).isEqualTo(2);
        });
    assertThat(longPoints(metric(order, "hoptrace.orders")))
        .anySatisfy(p -> assertOutcome(p, "CONFIRMED"))
        .anySatisfy(p -> assertOutcome(p, "REJECTED"));
    assertThat(longPoints(metric(inventory, "hoptrace.inventory.stock")))
        .anySatisfy(p -> {
          assertThat(p.getAttributes().get(AttributeKey.stringKey("hoptrace.product.id"))).isEqualTo("mug");
          assertThat(p.getValue()).isEqualTo(1);
        });
    // inventory consumes the requests and the restocks, three partitions each
    assertThat(longPoints(metric(inventory, "messaging.kafka.consumer.lag")))
        .hasSize(6)
        .allSatisfy(p -> {
          assertThat(p.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isIn(services.requests, services.restocks);
          assertThat(p.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name"))).isEqualTo(services.group);
          assertThat(p.getValue()).isZero();
        })
        .filteredOn(p -> services.requests.equals(p.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))))
        .hasSize(3);
    // order reads without a group, on vertx-kafka-client: its lag comes from the consumer's records-lag metric
    assertThat(longPoints(metric(order, "messaging.kafka.consumer.lag")))
        .hasSize(3)
        .allSatisfy(p -> {
          assertThat(p.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isEqualTo(services.results);
          assertThat(p.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name"))).isNull();
          assertThat(p.getValue()).isZero();
        });
  }

  private static long orderRequestsCounted(Collection<MetricData> order) {
    return order.stream().filter(m -> m.getName().equals("http.server.request.duration"))
        .flatMap(m -> m.getHistogramData().getPoints().stream())
        .filter(p -> "/order-product".equals(p.getAttributes().get(AttributeKey.stringKey("http.route"))))
        .mapToLong(p -> p.getCount()).sum();
  }

  private static void assertOutcome(LongPointData p, String outcome) {
    assertThat(p.getAttributes().get(AttributeKey.stringKey("order.outcome"))).isEqualTo(outcome);
    assertThat(p.getValue()).isEqualTo(1);
  }

  private static MetricData metric(Collection<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + all.stream().map(MetricData::getName).toList()));
  }

  private static List<LongPointData> longPoints(MetricData m) {
    return switch (m.getType()) {
      case LONG_GAUGE -> List.copyOf(m.getLongGaugeData().getPoints());
      case LONG_SUM -> List.copyOf(m.getLongSumData().getPoints());
      default -> throw new AssertionError(m.getName() + " is " + m.getType());
    };
  }
}
