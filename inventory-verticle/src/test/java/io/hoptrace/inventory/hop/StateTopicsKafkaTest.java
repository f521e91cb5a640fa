package io.hoptrace.inventory.hop;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The state topics on a real broker: what is seeded and committed comes back on a rebuild; what was aborted does not. */
@ExtendWith(RealInfrastructure.class)
class StateTopicsKafkaTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theSeededCatalogueIsInTheLedgerAndComesBackOnARebuild(Infrastructure infra) {
    InventoryConfig config = KafkaTestConfig.fresh(infra);
    StateTopics state = new StateTopics(config);
    List<Product> catalogue = List.of(new Product("cup", "Cup", 2.5, 7), new Product("pan", "Pan", 9.0, 3));
    StockLedger ledger = state.rebuild();
    assertThat(ledger.hasProducts()).isFalse();

    try (KafkaProducer<String, String> producer = KeeperClients.transactionalProducer(config)) {
      producer.initTransactions();
      state.seed(ledger, producer, catalogue);
    }
    KafkaTestConfig.awaitSettled(config.kafkaBootstrapServers(), config.stockTopic());

    assertThat(ledger.products().values()).containsExactlyElementsOf(catalogue);
    assertThat(state.rebuild().products().values()).containsExactlyElementsOf(catalogue);
  }

  @Test
  void aRebuildReadsCommittedRecordsOnlyAndForgetsWhatATombstoneDeleted(Infrastructure infra) {
    InventoryConfig config = KafkaTestConfig.fresh(infra);
    Decision d = new Decision("o-1", "cup", 2, Decision.Status.CONFIRMED, null, null, 5, NOW);
    try (KafkaProducer<String, String> producer = KeeperClients.transactionalProducer(config)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(config.stockTopic(), "cup", new Product("cup", "Cup", 2.5, 5).toJson().encode()));
      producer.send(new ProducerRecord<>(config.stockTopic(), "pan", new Product("pan", "Pan", 9.0, 3).toJson().encode()));
      producer.send(new ProducerRecord<>(config.decisionsTopic(), "o-1", d.toJson().encode()));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(config.stockTopic(), "cup", new Product("cup", "Cup", 2.5, 0).toJson().encode()));
      producer.send(new ProducerRecord<>(config.decisionsTopic(), "o-2", d.toJson().put("requestId", "o-2").encode()));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(config.stockTopic(), "pan", null));
      producer.commitTransaction();
    }
    KafkaTestConfig.awaitSettled(config.kafkaBootstrapServers(), config.stockTopic());
    KafkaTestConfig.awaitSettled(config.kafkaBootstrapServers(), config.decisionsTopic());

    StockLedger rebuilt = new StateTopics(config).rebuild();

    assertThat(rebuilt.products()).containsOnlyKeys("cup");
    assertThat(rebuilt.products().get("cup").stock()).as("the aborted reduction is not in the rebuilt stock").isEqualTo(5);
    assertThat(rebuilt.decisionCount()).isEqualTo(1);
  }
}
