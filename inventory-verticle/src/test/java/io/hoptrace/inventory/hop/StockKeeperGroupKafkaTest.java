package io.hoptrace.inventory.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.process.Poll;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several keepers in one consumer group on a real broker (ADR 001): each owns the partitions it is
 * assigned; when one stops, the others take its partitions and rebuild their stock from the state
 * topics, and the guarantees hold across the move: no oversell, one decision per request id, every
 * request decided. An instance of an old generation cannot commit.
 */
@ExtendWith(RealInfrastructure.class)
class StockKeeperGroupKafkaTest {
  private static final Duration WITHIN = Duration.ofSeconds(120);
  private static final int STOCK = 20;
  private static final int REQUESTS_PER_PRODUCT = 30;
  private final TestTelemetry telemetry = new TestTelemetry();
  private final List<StockKeeper> keepers = new ArrayList<>();

  @AfterEach
  void close() {
    keepers.forEach(StockKeeper::close);
    telemetry.close();
  }

  @Test
  void whenAnInstanceStopsTheOthersTakeItsPartitionsAndNothingIsSoldTwice(Infrastructure infra, @TempDir Path dir) throws Exception {
    InventoryConfig base = KafkaTestConfig.fresh(infra);
    Partitioning partitioning = new Partitioning(3);
    List<String> products = productsOverEveryPartition(partitioning, 6);
    Path seed = dir.resolve("catalogue.json");
    JsonArray catalogue = new JsonArray();
    products.forEach(p -> catalogue.add(new JsonObject().put("productId", p).put("name", p).put("price", 1.0).put("stock", STOCK)));
    Files.writeString(seed, catalogue.encode());

    StockKeeper a = start(KafkaTestConfig.instance(base, base.consumerGroup() + "-a", Optional.of(seed)));
    StockKeeper b = start(KafkaTestConfig.instance(base, base.consumerGroup() + "-b", Optional.of(seed)));
    StockKeeper c = start(KafkaTestConfig.instance(base, base.consumerGroup() + "-c", Optional.of(seed)));
    Poll.until("the three keepers to share the three partitions", WITHIN, Duration.ofMillis(100),
        () -> ownsEachOnce(List.of(a, b, c)) && a.ownedPartitions().size() == 1 && b.ownedPartitions().size() == 1);
    Poll.until("every product seeded by its owner", WITHIN, Duration.ofMillis(100),
        () -> products.stream().allMatch(p -> keepers.stream().anyMatch(k -> k.owns(p) && k.products().containsKey(p))));
    Set<Integer> bOwned = b.ownedPartitions();

    List<String> requestIds = new ArrayList<>();
    try (KafkaProducer<String, String> order = plainProducer(base)) {
      for (int i = 0; i < REQUESTS_PER_PRODUCT; i++) {
        if (i == REQUESTS_PER_PRODUCT / 3) {
          Poll.until("some requests decided before the stop", WITHIN, Duration.ofMillis(100),
              () -> KafkaTestConfig.committed(base.kafkaBootstrapServers(), base.resultsTopic()).size() >= products.size());
          b.close(); // gone between two transactions; its static membership keeps its partitions until its session expires
        }
        for (String p : products) {
          String id = "o-" + p + "-" + i;
          requestIds.add(id);
          order.send(new ProducerRecord<>(base.requestsTopic(), p, new JsonObject().put("orderId", id).put("productId", p).put("quantity", 1).encode()));
        }
        order.flush();
      }
    }

    Poll.until("the two keepers left to own every partition", WITHIN, Duration.ofMillis(200), () -> ownsEachOnce(List.of(a, c)));
    assertThat(new TreeSet<>(union(a.ownedPartitions(), c.ownedPartitions()))).as("b's partitions moved").containsAll(bOwned);
    Poll.until("every request decided", WITHIN, Duration.ofMillis(500),
        () -> resultsById(base).keySet().containsAll(requestIds));

    Map<String, List<String>> results = resultsById(base);
    results.forEach((id, answers) -> assertThat(new HashSet<>(answers)).as("every answer of " + id + " the same").hasSize(1));
    KafkaTestConfig.awaitSettled(base.kafkaBootstrapServers(), base.decisionsTopic());
    KafkaTestConfig.awaitSettled(base.kafkaBootstrapServers(), base.stockTopic());
    List<ConsumerRecord<String, String>> decisions = KafkaTestConfig.committed(base.kafkaBootstrapServers(), base.decisionsTopic());
    Map<String, Long> decisionsPerId = decisions.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    assertThat(decisionsPerId.keySet()).containsExactlyInAnyOrderElementsOf(requestIds);
    assertThat(decisionsPerId.values()).as("one decision per request id").allMatch(n -> n == 1);
    for (ConsumerRecord<String, String> d : decisions) {
      String product = new JsonObject(d.value()).getString("productId");
      assertThat(d.partition()).as("a decision lives in its product's partition").isEqualTo(partitioning.of(product));
    }

    Map<String, Long> confirmed = results.values().stream().map(l -> new JsonObject(l.get(0)))
        .filter(r -> "CONFIRMED".equals(r.getString("status")))
        .collect(Collectors.groupingBy(r -> r.getString("orderId").replaceAll("^o-(.*)-\\d+$", "$1"), Collectors.counting()));
    StockLedger rebuilt = new StateTopics(base).rebuild();
    for (String p : products) {
      assertThat(confirmed.get(p)).as("no oversell of " + p + ", and every item sold").isEqualTo(STOCK);
      assertThat(rebuilt.products().get(p).stock()).as("stock of " + p + " = before - confirmed").isZero();
      StockKeeper owner = a.owns(p) ? a : c;
      assertThat(owner.products().get(p).stock()).as("the owner's stock of " + p).isZero();
    }
  }

  @Test
  void aTransactionOfAnOldGenerationCannotCommitItsOffsets(Infrastructure infra) throws Exception {
    InventoryConfig config = KafkaTestConfig.fresh(infra);
    InventoryConfig other = KafkaTestConfig.instance(config, config.consumerGroup() + "-b", Optional.empty());
    try (KafkaConsumer<String, String> zombie = KeeperClients.requestsConsumer(config);
        KafkaConsumer<String, String> successor = KeeperClients.requestsConsumer(other);
        KafkaProducer<String, String> zombieProducer = KeeperClients.transactionalProducer(config)) {
      zombie.subscribe(List.of(config.requestsTopic(), config.restocksTopic()));
      Poll.until("the first instance assigned", WITHIN, Duration.ofMillis(10), () -> {
        zombie.poll(Duration.ofMillis(100));
        return !zombie.assignment().isEmpty();
      });
      ConsumerGroupMetadata old = zombie.groupMetadata();
      zombieProducer.initTransactions();
      zombieProducer.beginTransaction();
      zombieProducer.send(new ProducerRecord<>(config.stockTopic(), "phone", "{\"productId\":\"phone\",\"name\":\"x\",\"price\":1,\"stock\":0}"));

      successor.subscribe(List.of(config.requestsTopic(), config.restocksTopic()));
      Poll.until("a new generation that gives the second instance partitions", WITHIN, Duration.ofMillis(10), () -> {
        zombie.poll(Duration.ofMillis(50));
        successor.poll(Duration.ofMillis(50));
        return !successor.assignment().isEmpty() && zombie.groupMetadata().generationId() > old.generationId();
      });

      TopicPartition p0 = new TopicPartition(config.requestsTopic(), 0);
      assertThatThrownBy(() -> {
        zombieProducer.sendOffsetsToTransaction(Map.of(p0, new OffsetAndMetadata(0)), old);
        zombieProducer.commitTransaction();
      }).as("the group refuses offsets of an old generation").isInstanceOf(KafkaException.class);
      zombieProducer.abortTransaction();
    }
    KafkaTestConfig.awaitSettled(config.kafkaBootstrapServers(), config.stockTopic());
    assertThat(KafkaTestConfig.committed(config.kafkaBootstrapServers(), config.stockTopic())).as("nothing of its transaction").isEmpty();
  }

  @Test
  void aNewOwnerWaitsForThePreviousOwnersOpenTransactionAndRebuildsWhatItCommitted(Infrastructure infra) throws Exception {
    InventoryConfig config = KafkaTestConfig.fresh(infra);
    String cup = new io.vertx.core.json.JsonObject().put("productId", "cup").put("name", "Cup").put("price", 1.0).put("stock", 5).encode();
    String sold = new io.vertx.core.json.JsonObject().put("productId", "cup").put("name", "Cup").put("price", 1.0).put("stock", 0).encode();
    try (KafkaProducer<String, String> seed = KeeperClients.transactionalProducer(KafkaTestConfig.instance(config, "seed-" + config.consumerGroup(), Optional.empty()))) {
      seed.initTransactions();
      seed.beginTransaction();
      seed.send(new ProducerRecord<>(config.stockTopic(), "cup", cup));
      seed.commitTransaction();
    }
    Properties plain = KeeperClients.consumerProperties(config);
    plain.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG); // leaves the group at once on close
    KafkaProducer<String, String> previous = KeeperClients.transactionalProducer(config);
    try (KafkaConsumer<String, String> previousConsumer = new KafkaConsumer<>(plain,
        new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.StringDeserializer())) {
      previousConsumer.subscribe(List.of(config.requestsTopic(), config.restocksTopic()));
      Poll.until("the previous owner assigned", WITHIN, Duration.ofMillis(10), () -> {
        previousConsumer.poll(Duration.ofMillis(100));
        return previousConsumer.assignment().size() == 6;
      });
      // the previous owner sold the last cups in a transaction it has not committed when it leaves
      previous.initTransactions();
      previous.beginTransaction();
      previous.send(new ProducerRecord<>(config.stockTopic(), "cup", sold)).get();
      int p = new Partitioning(3).of("cup");
      previous.sendOffsetsToTransaction(Map.of(new TopicPartition(config.requestsTopic(), p), new OffsetAndMetadata(0)),
          previousConsumer.groupMetadata());
      previous.flush();
    }

    StockKeeper next = start(KafkaTestConfig.instance(config, config.consumerGroup() + "-next", Optional.empty()));
    Poll.until("the new instance assigned every partition by the group", WITHIN, Duration.ofMillis(100), () -> assignedMembers(config) == 1);
    assertThat(next.phase()).as("not ready while the previous owner's transaction is open").isNotEqualTo(StockKeeper.Phase.READY);
    previous.commitTransaction();
    previous.close();

    Poll.until("the new instance ready", WITHIN, Duration.ofMillis(50), () -> next.phase() == StockKeeper.Phase.READY);
    assertThat(next.products().get("cup").stock()).as("what the previous owner committed is in the rebuilt stock").isZero();
  }

  private static int assignedMembers(InventoryConfig config) throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers()))) {
      var group = admin.describeConsumerGroups(List.of(config.consumerGroup())).all().get().get(config.consumerGroup());
      if (group.state() != org.apache.kafka.common.ConsumerGroupState.STABLE) {
        return -1;
      }
      return (int) group.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
    }
  }

  private StockKeeper start(InventoryConfig config) {
    StockKeeper k = new StockKeeper(config, KafkaTracing.create(telemetry.otel), telemetry.otel.getTracer("test"), telemetry.otel.getMeter("test"));
    keepers.add(k);
    k.start();
    return k;
  }

  /** Each of the three partitions owned by exactly one of the keepers (each ready). */
  private static boolean ownsEachOnce(List<StockKeeper> ks) {
    List<Integer> all = new ArrayList<>();
    for (StockKeeper k : ks) {
      if (k.phase() != StockKeeper.Phase.READY) {
        return false;
      }
      all.addAll(k.ownedPartitions());
    }
    return all.size() == 3 && new HashSet<>(all).equals(Set.of(0, 1, 2));
  }

  private static Set<Integer> union(Set<Integer> x, Set<Integer> y) {
    Set<Integer> u = new HashSet<>(x);
    u.addAll(y);
    return u;
  }

  private static List<String> productsOverEveryPartition(Partitioning partitioning, int count) {
    List<String> out = new ArrayList<>();
    Map<Integer, Integer> per = new java.util.HashMap<>();
    for (int i = 0; out.size() < count; i++) {
      String id = "item-" + i;
      int p = partitioning.of(id);
      if (per.getOrDefault(p, 0) < count / 3) {
        per.merge(p, 1, Integer::sum);
        out.add(id);
      }
    }
    return out;
  }

  private static Map<String, List<String>> resultsById(InventoryConfig config) {
    return KafkaTestConfig.committed(config.kafkaBootstrapServers(), config.resultsTopic()).stream()
        .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
  }

  private static KafkaProducer<String, String> plainProducer(InventoryConfig config) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

}
