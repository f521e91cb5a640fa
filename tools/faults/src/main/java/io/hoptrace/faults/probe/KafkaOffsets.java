package io.hoptrace.faults.probe;

import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.process.Poll;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits for a consumer group to have committed every record of a topic. For the ingester a committed
 * offset means "in ClickHouse" (it commits past a batch only once ClickHouse confirmed it), so this is
 * how the suite knows ingestion is complete, without guessing with sleeps.
 */
public final class KafkaOffsets {
  private KafkaOffsets() {}

  /** Records of {@code topic} not yet committed by {@code group} (summed over partitions). */
  public static long behind(String bootstrapServers, String group, String topic) throws Exception {
    try (Admin admin = TopicSetup.admin(bootstrapServers)) {
      return behind(admin, group, topic);
    }
  }

  private static long behind(Admin admin, String group, String topic) throws Exception {
    int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS)
        .get(topic).partitions().size();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
        .get(15, TimeUnit.SECONDS);
    long behind = 0;
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      behind += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
    }
    return behind;
  }

  /** The offsets (and their metadata) {@code group} has committed on {@code topic}, by partition. */
  public static Map<Integer, OffsetAndMetadata> committed(String bootstrapServers, String group, String topic) throws Exception {
    try (Admin admin = TopicSetup.admin(bootstrapServers)) {
      Map<Integer, OffsetAndMetadata> out = new java.util.TreeMap<>();
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS).forEach((tp, o) -> {
        if (tp.topic().equals(topic) && o != null) {
          out.put(tp.partition(), o);
        }
      });
      return out;
    }
  }

  /** Polls until {@code group} has committed all of {@code topic}; throws when {@code timeout} passes. */
  public static void awaitCommitted(String bootstrapServers, String group, String topic, Duration timeout) {
    try (Admin admin = TopicSetup.admin(bootstrapServers)) {
      Poll.until(group + " to commit all of " + topic, timeout, Duration.ofMillis(250), () -> behind(admin, group, topic) == 0);
    }
  }
}
