package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A keeper's settings on topics, group and transactional id of its own on the shared real Kafka; committed records read back. */
final class KafkaTestConfig {
  private KafkaTestConfig() {}

  /** Fresh names, the topics created, the built-in catalogue. */
  static InventoryConfig fresh(Infrastructure infra) {
    String group = Infrastructure.unique("inventory");
    InventoryConfig c = new InventoryConfig("127.0.0.1", 0, infra.kafkaBootstrapServers(),
        Infrastructure.unique("stock-reductions"), Infrastructure.unique("stock-reduction-results"),
        Infrastructure.unique("stock-restocks"),
        Infrastructure.unique("inventory-stock"), Infrastructure.unique("inventory-decisions"),
        group, group + "-stock-keeper", Optional.empty(), Duration.ofSeconds(5), Duration.ofDays(7));
    TopicSetup.ensure(c.kafkaBootstrapServers(), List.of(Topics.business(c.requestsTopic()), Topics.business(c.resultsTopic()),
        Topics.business(c.restocksTopic()), Topics.state(c.stockTopic()), Topics.decisions(c.decisionsTopic(), c.decisionsWindow())));
    return c;
  }

  /** The same settings as another instance of the group would have: its own transactional id, a seed file. */
  static InventoryConfig instance(InventoryConfig c, String transactionalId, Optional<java.nio.file.Path> seedFile) {
    return new InventoryConfig(c.httpHost(), c.httpPort(), c.kafkaBootstrapServers(), c.requestsTopic(), c.resultsTopic(),
        c.restocksTopic(), c.stockTopic(), c.decisionsTopic(), c.consumerGroup(), transactionalId, seedFile, c.requestTimeout(),
        c.decisionsWindow());
  }

  /**
   * Waits until no transaction marker of a topic is pending: {@code commitTransaction()} can return
   * before the markers are written, and a {@code read_committed} reader stops short of them until then.
   */
  static void awaitSettled(String kafka, String topic) {
    try (KafkaConsumer<String, String> committed = consumer(kafka, "read_committed");
        KafkaConsumer<String, String> all = consumer(kafka, "read_uncommitted")) {
      List<TopicPartition> tps = partitions(committed, topic);
      Poll.until(topic + " to settle", Duration.ofSeconds(30), Duration.ofMillis(50),
          () -> committed.endOffsets(tps).equals(all.endOffsets(tps)));
    }
  }

  /** Every committed record of a topic, up to its current (stable) end. */
  static List<ConsumerRecord<String, String>> committed(String kafka, String topic) {
    try (KafkaConsumer<String, String> c = consumer(kafka, "read_committed")) {
      List<TopicPartition> tps = partitions(c, topic);
      c.assign(tps);
      c.seekToBeginning(tps);
      var end = c.endOffsets(tps);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end");
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
    return c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
  }

  private static KafkaConsumer<String, String> consumer(String kafka, String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }
}
