package io.hoptrace.faults.soak;

import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.process.Poll;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * "The ingester caught up" while telemetry keeps arriving (the services export their own all the
 * time): its group's committed offsets reached the topic's end offsets as they were at one moment.
 * Waiting for a lag of exactly zero instead would wait for a lucky instant between two exports.
 */
final class CaughtUp {
  private CaughtUp() {}

  /** The end offset of every partition of {@code topic}, now. */
  static Map<TopicPartition, Long> endOffsets(String bootstrapServers, String topic) throws Exception {
    try (Admin admin = TopicSetup.admin(bootstrapServers)) {
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    }
  }

  /** Records of {@code ends} that {@code group} has not committed yet. */
  static long behind(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
    long behind = 0;
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      behind += Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
    }
    return behind;
  }

  /** Waits until {@code group} committed everything of {@code topic} that was in it when called; throws after {@code timeout}. */
  static void await(String bootstrapServers, String group, String topic, Duration timeout) throws Exception {
    Map<TopicPartition, Long> ends = endOffsets(bootstrapServers, topic);
    try (Admin admin = TopicSetup.admin(bootstrapServers)) {
      Poll.until(group + " to commit " + topic + " up to its end offsets of now " + ends, timeout, Duration.ofMillis(250),
          () -> behind(admin, group, ends) == 0);
    }
  }
}
