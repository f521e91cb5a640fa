package io.hoptrace.order.hop;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.config.Env;
import io.hoptrace.order.OrderConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The settings of order's transactional producer: the exactly-once ones, and every call bounded by the publish timeout. */
class PublisherProducerTest {
  @Test
  void transactionalUnderTheConfiguredIdWithTheSharedSettings() {
    Properties p = StockReductionPublisher.producerProperties(OrderConfig.fromEnv(Env.of(Map.of("ORDER_TRANSACTIONAL_ID", "order-a"))));
    assertThat(p.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isEqualTo("order-a");
    assertThat(p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo(true);
    assertThat(p.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
    assertThat((Integer) p.get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG))
        .as("CONCURRENT_TRANSACTIONS right after a commit is retried at once, not after the client's 100 ms").isLessThan(100);
  }

  @Test
  void everyCallEndsWithinThePublishTimeout() {
    Properties p = StockReductionPublisher.producerProperties(OrderConfig.fromEnv(Env.of(Map.of("ORDER_PUBLISH_TIMEOUT", "2s"))));
    assertThat(p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo(2000);
    assertThat(p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)).isEqualTo(2000L);
    assertThat((Integer) p.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).isLessThan(2000);
    assertThat((Integer) p.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)).as("a dead order's transaction is aborted after this")
        .isEqualTo(10_000);
  }
}
