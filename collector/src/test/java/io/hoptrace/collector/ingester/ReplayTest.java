package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.Http;
import io.hoptrace.collector.Otlp;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replaying an already ingested range (what {@code ./stack replay} does: the same records re-produced
 * with {@code hoptrace.replay.*} headers) leaves every row count unchanged; replayed records that
 * were never stored are added.
 */
@ExtendWith(RealInfrastructure.class)
class ReplayTest {

  @Test
  void replayOfAnIngestedRangeChangesNoRowCount(Infrastructure infra) throws Exception {
    try (TestCollector c = TestCollector.on(infra, "replay").start()) {
      assertThat(Http.post(c.httpUrl() + "/v1/traces", Otlp.traces("replay", 1, 30, 5).toByteArray()).statusCode()).isEqualTo(200);
      assertThat(Http.post(c.httpUrl() + "/v1/logs", Otlp.logs("replay", 40, Otlp.traceId(1, 1)).toByteArray()).statusCode()).isEqualTo(200);
      assertThat(Http.post(c.httpUrl() + "/v1/metrics", Otlp.allMetricTypes("replay").toByteArray()).statusCode()).isEqualTo(200);
      String[] counts = {"otel_traces", "otel_traces_trace_id_ts", "otel_logs", "otel_metrics_gauge", "otel_metrics_sum",
          "otel_metrics_histogram", "otel_metrics_exp_histogram", "otel_metrics_summary"};
      long[] expected = {150, 30, 40, 1, 1, 1, 1, 1};
      for (int i = 0; i < counts.length; i++) {
        c.await("SELECT count() FROM " + counts[i], expected[i], Duration.ofSeconds(60));
      }

      for (Signal s : Signal.values()) {
        replay(c, c.topic(s), c.env.get("COLLECTOR_GROUP_PREFIX") + "-" + s.label());
      }
      for (int i = 0; i < counts.length; i++) {
        assertThat(c.count("SELECT count() FROM " + counts[i])).as(counts[i]).isEqualTo(expected[i]);
      }

      // a replayed record whose data was never stored does land
      try (KafkaProducer<byte[], byte[]> p = producer(c.kafka)) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(c.topic(Signal.TRACES), 0, null, Otlp.traces("replay-new", 2, 2, 2).toByteArray());
        r.headers().add(new RecordHeader(ClickHouseBatchSink.REPLAY_HEADER, "elsewhere/0/0".getBytes(StandardCharsets.UTF_8)));
        p.send(r).get();
      }
      c.await("SELECT count() FROM otel_traces WHERE ServiceName = 'replay-new'", 4, Duration.ofSeconds(60));
      assertThat(c.count("SELECT count() FROM otel_traces")).isEqualTo(154);
    }
  }

  /** Re-produces every record of {@code topic} like the replay tool, then waits until {@code group} consumed them. */
  static void replay(TestCollector c, String topic, String group) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (Admin admin = TopicSetup.admin(c.kafka)) {
      Map<TopicPartition, Long> ends = new java.util.HashMap<>();
      for (int p = 0; p < 3; p++) {
        TopicPartition tp = new TopicPartition(topic, p);
        ends.put(tp, admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS).get(tp).offset());
      }
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.assign(ends.keySet());
        consumer.seekToBeginning(ends.keySet());
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        Poll.until("reading " + topic, Duration.ofSeconds(30), Duration.ofMillis(10), () -> {
          consumer.poll(Duration.ofMillis(200)).forEach(all::add);
          return all.size() >= total;
        });
      }
      String run = UUID.randomUUID().toString();
      try (KafkaProducer<byte[], byte[]> p = producer(c.kafka)) {
        for (ConsumerRecord<byte[], byte[]> r : all) {
          ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, r.partition(), r.key(), r.value());
          r.headers().forEach(h -> copy.headers().add(h));
          copy.headers().add(new RecordHeader(ClickHouseBatchSink.REPLAY_HEADER, (topic + "/" + r.partition() + "/" + r.offset()).getBytes(StandardCharsets.UTF_8)));
          copy.headers().add(new RecordHeader("hoptrace.replay.id", run.getBytes(StandardCharsets.UTF_8)));
          p.send(copy);
        }
        p.flush();
      }
      // the replay is done when the ingester's group has committed past every re-produced record
      Poll.until("group " + group + " to catch up on " + topic, Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        for (TopicPartition tp : ends.keySet()) {
          long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS).get(tp).offset();
          OffsetAndMetadata o = committed.get(tp);
          if (end > 0 && (o == null || o.offset() < end)) {
            return false;
          }
        }
        return true;
      });
    }
  }

  static KafkaProducer<byte[], byte[]> producer(String kafka) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer());
  }
}
