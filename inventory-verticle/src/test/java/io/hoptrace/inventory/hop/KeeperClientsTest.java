package io.hoptrace.inventory.hop;

import static io.hoptrace.inventory.hop.RequestProcessorTest.CONFIG;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The settings the exactly-once guarantee rests on (ADR 001). */
class KeeperClientsTest {
  @Test
  void theConsumerReadsCommittedRecordsOnlyAndNeverCommitsOnItsOwn() {
    Properties p = KeeperClients.consumerProperties(CONFIG);
    assertThat(p.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
    assertThat(p.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo(false);
    assertThat(p.get(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("inventory");
    assertThat(p.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)).as("static membership: a restart takes its partitions back at once")
        .isEqualTo("inventory-stock-keeper");
  }

  @Test
  void theProducerIsTransactionalUnderTheConfiguredId() {
    Properties p = KeeperClients.producerProperties(CONFIG);
    assertThat(p.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isEqualTo("inventory-stock-keeper");
    assertThat(p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo(true);
    assertThat(p.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
    assertThat((Integer) p.get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG))
        .as("a refusal while the previous commit's markers are written is retried at once, not after the client's 100 ms")
        .isLessThan(100);
  }
}
