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
  void requestsOfOnePartitionThatArriveTogetherAreDecidedInOneTransactionWithTheProductWrittenOnce(Infrastructure infra) throws Exception {
    InventoryConfig config = KafkaTestConfig.fresh(infra);
    try (StockKeeper keeper = newKeeper(config); KafkaProducer<String, String> order = transactionalProducer(config, "order-batch")) {
      awaitReady(keeper);
      long stockRecordsBefore = stockRecords(config, "phone");
      // committed together: the keeper's read_committed poll sees all ten at once
      order.initTransactions();
      order.beginTransaction();
      for (int i = 1; i <= 10; i++) {
        order.send(new ProducerRecord<>(config.requestsTopic(), "phone",
            new JsonObject().put("orderId", "b-" + i).put("productId", "phone").put("quantity", 1).encode()));
      }
      order.commitTransaction();

      Poll.until("ten results", Duration.ofSeconds(60), Duration.ofMillis(100), () -> results(config).size() == 10);
      assertThat(results(config)).extracting(r -> new JsonObject(r.value()).getString("status")).containsOnly("CONFIRMED");
      KafkaTestConfig.awaitSettled(config.kafkaBootstrapServers(), config.decisionsTopic());
      assertThat(KafkaTestConfig.committed(config.kafkaBootstrapServers(), config.decisionsTopic()))
          .extracting(r -> new JsonObject(r.value()).getInteger("stockAfter"))
          .as("decided one after the other in the partition's order").containsExactly(24, 23, 22, 21, 20, 19, 18, 17, 16, 15);
      assertThat(stockRecords(config, "phone") - stockRecordsBefore).as("one transaction, the product written once with its last stock").isEqualTo(1);
      assertThat(new StateTopics(config).rebuild().products().get("phone").stock()).isEqualTo(15);
      assertThat(keeper.products().get("phone").stock()).isEqualTo(15);
    }
  }

  @Test
  void aFencedBatchOfSeveralReductionsConfirmsNoneOfThem(Infrastructure infra) throws Exception {
    InventoryConfig config = KafkaTestConfig.fresh(infra);
    try (StockKeeper keeper = newKeeper(config)) {
      awaitReady(keeper);
      try (KafkaProducer<String, String> successor = KeeperClients.transactionalProducer(config)) {
        successor.initTransactions(); // fences the keeper's producer: its next transaction cannot commit
      }
      List<CompletableFuture<Decision>> batch = new java.util.ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        batch.add(keeper.submit(new ReductionRequest("f-" + i, "phone", 1)));
      }
      for (CompletableFuture<Decision> d : batch) {
        assertThatThrownBy(() -> d.get(30, TimeUnit.SECONDS)).as("no reduction of a transaction that did not commit is confirmed")
            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StockKeeper.Unavailable.class);
      }
      Decision after = null;
      long deadline = System.nanoTime() + READY_WITHIN.toNanos();
      while (after == null && System.nanoTime() < deadline) {
        try {
          after = keeper.submit(new ReductionRequest("f-1", "phone", 1)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          Poll.until("the keeper to start over", READY_WITHIN, Duration.ofMillis(100), () -> keeper.phase() == StockKeeper.Phase.READY);
        }
      }
      assertThat(after).isNotNull();
      assertThat(after.stockAfter()).as("none of the fenced batch took stock").isEqualTo(24);
    }
    KafkaTestConfig.awaitSettled(config.kafkaBootstrapServers(), config.decisionsTopic());
    assertThat(new StateTopics(config).rebuild().decisionCount()).as("only the retry was decided").isEqualTo(1);
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

  private static long stockRecords(InventoryConfig config, String productId) {
    KafkaTestConfig.awaitSettled(config.kafkaBootstrapServers(), config.stockTopic());
    return KafkaTestConfig.committed(config.kafkaBootstrapServers(), config.stockTopic()).stream().filter(r -> productId.equals(r.key())).count();
  }

  private static KafkaProducer<String, String> transactionalProducer(InventoryConfig config, String id) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id + "-" + java.util.UUID.randomUUID());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  private static KafkaProducer<String, String> plainProducer(InventoryConfig config) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }
}
