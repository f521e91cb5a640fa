package io.hoptrace.collector.ingester.dedup;

import io.hoptrace.kafka.KafkaClientSecurity;
import io.hoptrace.kafka.replay.ReplayHeaders;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

/** Reads records back with a consumer of its own (assigned, no group, nothing committed). Blocking: runs on a worker. */
public final class KafkaWindowSource implements WindowSource {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final String bootstrapServers;

  public KafkaWindowSource(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  @Override
  public void read(TopicPartition tp, long from, long to, Each each) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    KafkaClientSecurity.process().applyTo(props); // TLS / SASL of this process, as the ingester's own consumer
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 5 << 20);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 << 20);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "hoptrace-dedup-window-" + tp);
    try (KafkaConsumer<byte[], ByteBuffer> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteBufferDeserializer())) {
      consumer.assign(List.of(tp));
      long start = Math.max(from, consumer.beginningOffsets(List.of(tp), DEADLINE).getOrDefault(tp, 0L));
      if (start >= to) {
        return;
      }
      consumer.seek(tp, start);
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (consumer.position(tp, DEADLINE) < to) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading back " + tp + " offsets " + from + "-" + (to - 1) + " took over " + DEADLINE.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], ByteBuffer> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
          if (r.offset() >= to) {
            return;
          }
          each.record(r.offset(), r.value(), ReplayHeaders.isReplay(r.headers()));
        }
      }
    }
  }
}
