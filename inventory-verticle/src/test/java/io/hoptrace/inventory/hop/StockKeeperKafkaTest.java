package io.hoptrace.inventory.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.process.Poll;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The keeper's life and transactions on a real broker (the built-in catalogue: 25 phones): a
 * request's result, decision, stock and offset commit together; a fenced transaction fails its
 * direct reduction once and the keeper starts over from Kafka; a new keeper rebuilds what its
 * predecessor committed.
 */
@ExtendWith(RealInfrastructure.class)
class StockKeeperKafkaTest {
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  private final TestTelemetry telemetry = new TestTelemetry();

  @AfterEach
  void close() {
    telemetry.close();
  }

  @Test
  void aRequestIsAnsweredWithItsOffsetCommittedAndARepeatGetsTheSameAnswer(Infrastructure infra) throws Exception {
    InventoryConfig config = KafkaTestConfig.fresh(infra);
    String request = new JsonObject().put("orderId", "o-1").put("productId", "phone").put("quantity", 2).encode();
    try (StockKeeper keeper = newKeeper(config); KafkaProducer<String, String> order = plainProducer(config)) {
      awaitReady(keeper);
      order.send(new ProducerRecord<>(config.requestsTopic(), "phone", request)).get();

      Poll.until("the result", Duration.ofSeconds(60), Duration.ofMillis(100), () -> results(config).size() == 1);
      JsonObject result = new JsonObject(results(config).get(0).value());
      assertThat(result.getString("orderId")).isEqualTo("o-1");
      assertThat(result.getString("status")).isEqualTo("CONFIRMED");
      assertThat(keeper.products().get("phone").stock()).as("read your writes: the answer implies the stock").isEqualTo(23);
      Poll.until("the consumed offset committed with it", Duration.ofSeconds(30), Duration.ofMillis(100),
          () -> committedOffsets(config).values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 1);

      order.send(new ProducerRecord<>(config.requestsTopic(), "phone", request)).get(); // a replayed copy: a new record
      Poll.until("the second result", Duration.ofSeconds(60), Duration.ofMillis(100), () -> results(config).size() == 2);
      assertThat(results(config).get(1).value()).isEqualTo(results(config).get(0).value());
      assertThat(keeper.products().get("phone").stock()).isEqualTo(23);
    }
  }

  @Test
  void aFencedTransactionFailsItsReductionOnceAndTheKeeperStartsOverFromKafka(Infrastructure infra) throws Exception {
    InventoryConfig config = KafkaTestConfig.fresh(infra);
    try (StockKeeper keeper = newKeeper(config)) {
      awaitReady(keeper);
      try (KafkaProducer<String, String> successor = KeeperClients.transactionalProducer(config)) {
        successor.initTransactions(); // a newer producer with the keeper's transactional id fences the keeper's
      }

      CompletableFuture<Decision> fenced = keeper.submit(new ReductionRequest("h-1", "phone", 1));
      AtomicReference<List<SpanData>> endedWhenHeard = new AtomicReference<>();
      fenced.whenComplete((d, e) -> endedWhenHeard.set(List.copyOf(telemetry.finished())));

      assertThatThrownBy(() -> fenced.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(StockKeeper.Unavailable.class).hasMessageStartingWith("the stock transaction failed: ");
      assertThat(endedWhenHeard.get()).as("the span had ended when the caller heard").singleElement().satisfies(s -> {
        assertThat(s.getName()).isEqualTo("stock transaction");
        assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      });

      // the keeper starts over with a new producer; a retry (same requestId) is safe
      AtomicReference<Decision> retried = new AtomicReference<>();
      Poll.until("the keeper to take reductions again", READY_WITHIN, Duration.ofMillis(200),
          () -> retried.compareAndSet(null, keeper.submit(new ReductionRequest("h-1", "phone", 1)).get(10, TimeUnit.SECONDS)));
      assertThat(retried.get().stockAfter()).as("the fenced transaction changed nothing").isEqualTo(24);
      assertThat(keeper.products().get("phone").stock()).isEqualTo(24);
    }
    KafkaTestConfig.awaitSettled(config.kafkaBootstrapServers(), config.stockTopic());
    KafkaTestConfig.awaitSettled(config.kafkaBootstrapServers(), config.decisionsTopic());
    StockLedger rebuilt = new StateTopics(config).rebuild();
    assertThat(rebuilt.products().get("phone").stock()).isEqualTo(24);
    assertThat(rebuilt.decisionCount()).isEqualTo(1);
  }

  @Test
  void aNewKeeperRebuildsWhatItsPredecessorCommittedAndAnswersARepeatTheSame(Infrastructure infra) throws Exception {
    InventoryConfig config = KafkaTestConfig.fresh(infra);
    Decision first;
    try (StockKeeper keeper = newKeeper(config)) {
      awaitReady(keeper);
      first = keeper.submit(new ReductionRequest("h-1", "phone", 3)).get(30, TimeUnit.SECONDS);
    }
    assertThat(first.stockAfter()).isEqualTo(22);

    try (StockKeeper next = newKeeper(config)) {
      awaitReady(next);
      assertThat(next.products().get("phone").stock()).isEqualTo(22);
      assertThat(next.submit(new ReductionRequest("h-1", "phone", 3)).get(30, TimeUnit.SECONDS)).isEqualTo(first);
      assertThat(next.products().get("phone").stock()).isEqualTo(22);
    }
    assertThat(telemetry.finished()).filteredOn(s -> s.getName().equals("stock transaction"))
        .extracting(s -> s.getAttributes().get(AttributeKey.booleanKey("hoptrace.stock.duplicate")))
        .containsExactly(false, true);
  }

  private StockKeeper newKeeper(InventoryConfig config) {
    StockKeeper k = new StockKeeper(config, KafkaTracing.create(telemetry.otel), telemetry.otel.getTracer("test"), telemetry.otel.getMeter("test"));
    k.start();
    return k;
  }

  private static void awaitReady(StockKeeper keeper) {
    Poll.until("the keeper ready", READY_WITHIN, Duration.ofMillis(50), () -> keeper.phase() == StockKeeper.Phase.READY);
  }

  private static List<ConsumerRecord<String, String>> results(InventoryConfig config) {
    return KafkaTestConfig.committed(config.kafkaBootstrapServers(), config.resultsTopic());
  }

  private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(InventoryConfig config) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers()))) {
      return admin.listConsumerGroupOffsets(config.consumerGroup()).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    }
  }

  private static KafkaProducer<String, String> plainProducer(InventoryConfig config) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }
}
