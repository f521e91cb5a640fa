package io.hoptrace.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The floor under an order's latency, measured on the bench's broker: one record from a producer to
 * a consumer that polls for it, one at a time, as the order flow's hops do. Plain: {@code acks=all},
 * idempotent, to a {@code read_uncommitted} consumer. Transactional: begin, send, commit, to a
 * {@code read_committed} consumer (what each of the order's two hops pays).
 */
final class KafkaRoundTrip {
  /** Round-trip times of one kind, in milliseconds. */
  record Times(double[] millis) {
    double p50() {
      return Stats.percentile(millis, 50);
    }

    double p99() {
      return Stats.percentile(millis, 99);
    }
  }

  private KafkaRoundTrip() {}

  static Times measure(String bootstrapServers, boolean transactional, int count) throws Exception {
    String topic = "bench-roundtrip-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    TopicPartition tp = new TopicPartition(topic, 0);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    if (transactional) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic);
    }
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, transactional ? "read_committed" : "read_uncommitted");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      if (transactional) {
        producer.initTransactions();
      }
      consumer.assign(List.of(tp));
      consumer.seekToEnd(List.of(tp));
      consumer.position(tp);
      int warmup = Math.max(20, count / 10);
      double[] times = new double[count];
      for (int i = -warmup; i < count; i++) {
        byte[] id = Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long t0 = System.nanoTime();
        if (transactional) {
          producer.beginTransaction();
          producer.send(new ProducerRecord<>(topic, 0, null, id));
          producer.commitTransaction();
        } else {
          producer.send(new ProducerRecord<>(topic, 0, null, id));
        }
        long deadline = t0 + Duration.ofSeconds(30).toNanos();
        boolean seen = false;
        while (!seen) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("record " + i + " of the round-trip probe not consumed within 30 s");
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            seen |= Arrays.equals(r.value(), id);
          }
        }
        if (i >= 0) {
          times[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      return new Times(times);
    } finally {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
        admin.deleteTopics(List.of(topic)).all().get();
      }
    }
  }
}
