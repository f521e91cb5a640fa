package io.hoptrace.services;

import io.hoptrace.process.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what is in a topic, for assertions: every record (committed or not, markers excluded) to the current end. */
final class Records {
  private Records() {}

  /**
   * Sum over partitions of the end offsets once the topic is settled: grows with every record written
   * (and transaction marker). A transaction's commit returns before its markers are written, so the
   * offsets are read until the committed end (last stable offset) has caught up with the log end.
   */
  static long endOffsetSum(String kafka, String topic) {
    try (KafkaConsumer<String, String> committed = consumer(kafka, "read_committed");
        KafkaConsumer<String, String> all = consumer(kafka, "read_uncommitted")) {
      List<TopicPartition> tps = committed.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      long[] sum = new long[1];
      Poll.until(topic + " to settle (no transaction markers pending)", Duration.ofSeconds(30), Duration.ofMillis(50), () -> {
        var stable = committed.endOffsets(tps);
        sum[0] = stable.values().stream().mapToLong(Long::longValue).sum();
        return stable.equals(all.endOffsets(tps));
      });
      return sum[0];
    }
  }

  static List<ConsumerRecord<String, String>> all(String kafka, String topic) {
    try (KafkaConsumer<String, String> c = consumer(kafka)) {
      List<TopicPartition> tps = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
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

  private static KafkaConsumer<String, String> consumer(String kafka) {
    return consumer(kafka, "read_committed");
  }

  private static KafkaConsumer<String, String> consumer(String kafka, String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }
}
