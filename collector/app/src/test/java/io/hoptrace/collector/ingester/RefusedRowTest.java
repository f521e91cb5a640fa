package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real refusal: a constraint on otel_traces that one span of a batch violates. ClickHouse refuses
 * the batch's insert as a whole; the ingester isolates the refused row, stores every other row of the
 * batch (those of the refused span's own record too), dead-letters the refused span's record with the
 * error, and the partition moves on.
 */
@ExtendWith(RealInfrastructure.class)
class RefusedRowTest {

  @Test
  void aRowClickHouseRefusesGoesToTheDlqAndTheRestOfItsBatchIsStored(Infrastructure infra) throws Exception {
    try (TestCollector c = TestCollector.on(infra, "refused-row")) {
      c.createTopics();
      c.query("ALTER TABLE otel_traces ADD CONSTRAINT no_refuse_me CHECK SpanName != 'refuse-me'");
      String topic = c.topic(Signal.TRACES);
      ExportTraceServiceRequest.Builder bad = Otlp.traces("refused", 2, 1, 10).toBuilder();
      bad.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(3).setName("refuse-me");
      try (KafkaProducer<byte[], byte[]> p = producer(c)) {
        // one partition, three records: they form one batch, whose insert ClickHouse refuses whole
        p.send(new ProducerRecord<>(topic, 0, null, Otlp.traces("refused", 1, 1, 10).toByteArray())).get();
        p.send(new ProducerRecord<>(topic, 0, "bad".getBytes(), bad.build().toByteArray())).get();
        p.send(new ProducerRecord<>(topic, 0, null, Otlp.traces("refused", 3, 1, 10).toByteArray())).get();
      }
      c.start();

      c.await("SELECT count() FROM otel_traces WHERE ServiceName = 'refused'", 29, Duration.ofSeconds(60));
      List<ConsumerRecord<byte[], byte[]>> dead = deadLetters(c, topic, 1);
      assertThat(dead).hasSize(1);
      ConsumerRecord<byte[], byte[]> d = dead.get(0);
      assertThat(d.value()).isEqualTo(bad.build().toByteArray());
      assertThat(new String(d.key())).isEqualTo("bad");
      assertThat(DeadLetterTest.header(d, DeadLetters.ERROR_CODE)).isEqualTo("469");
      assertThat(DeadLetterTest.header(d, DeadLetters.TABLE)).isEqualTo(c.clickHouse.database() + ".otel_traces");
      assertThat(DeadLetterTest.header(d, DeadLetters.REFUSED_ROWS)).isEqualTo("1");
      assertThat(DeadLetterTest.header(d, DeadLetters.ERROR)).contains("no_refuse_me");
      assertThat(DeadLetterTest.header(d, DeadLetters.TOPIC)).isEqualTo(topic);
      assertThat(DeadLetterTest.header(d, DeadLetters.PARTITION)).isEqualTo("0");
      assertThat(DeadLetterTest.header(d, DeadLetters.OFFSET)).isEqualTo("1");

      // the partition moved on: later spans are stored, the offsets committed past the batch
      try (KafkaProducer<byte[], byte[]> p = producer(c)) {
        p.send(new ProducerRecord<>(topic, 0, null, Otlp.traces("refused", 4, 1, 10).toByteArray())).get();
      }
      c.await("SELECT count() FROM otel_traces WHERE ServiceName = 'refused'", 39, Duration.ofSeconds(60));
      assertThat(c.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces")).isEqualTo(39);
      assertThat(c.count("SELECT count() FROM otel_traces WHERE SpanName = 'refuse-me'")).isZero();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka))) {
        TopicPartition tp = new TopicPartition(topic, 0);
        Poll.until("the group to commit past every record", Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
          OffsetAndMetadata o = admin.listConsumerGroupOffsets(c.prefix + "-traces").partitionsToOffsetAndMetadata().get().get(tp);
          return o != null && o.offset() == 4;
        });
      }
      assertThat(deadLetters(c, topic, 1)).hasSize(1); // dead-lettered once
    }
  }

  static KafkaProducer<byte[], byte[]> producer(TestCollector c) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Every record of {@code <topic>.dlq}, once at least {@code atLeast} are there. */
  static List<ConsumerRecord<byte[], byte[]>> deadLetters(TestCollector c, String topic, int atLeast) {
    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(Topics.deadLetter(topic), 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(Set.of(tp));
      Poll.until(atLeast + " dead letter(s)", Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
        consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
        return dead.size() >= atLeast && consumer.position(tp) >= consumer.endOffsets(Set.of(tp)).get(tp);
      });
    }
    return dead;
  }
}
