package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A record that can never be decoded goes to <topic>.dlq with the reason; the partition moves on. */
@ExtendWith(RealInfrastructure.class)
class DeadLetterTest {

  @Test
  void corruptRecordIsDeadLetteredAndLaterRecordsAreIngested(Infrastructure infra) throws Exception {
    try (TestCollector c = TestCollector.on(infra, "dlq")) {
      c.createTopics();
      String topic = c.topic(Signal.TRACES);
      try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        p.send(new ProducerRecord<>(topic, 0, "k".getBytes(), new byte[] {0x0a, 0x05, 0x01})).get(); // truncated protobuf
        p.send(new ProducerRecord<>(topic, 0, null, Otlp.traces("after-corrupt", 7, 3, 3).toByteArray())).get();
      }
      c.start();
      c.await("SELECT count() FROM otel_traces WHERE ServiceName = 'after-corrupt'", 9, Duration.ofSeconds(60));

      List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.assign(List.of(new TopicPartition(Topics.deadLetter(topic), 0)));
        Poll.until("a dead letter", Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
          consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
          return !dead.isEmpty();
        });
      }
      assertThat(dead).hasSize(1);
      ConsumerRecord<byte[], byte[]> d = dead.get(0);
      assertThat(d.value()).containsExactly(0x0a, 0x05, 0x01);
      assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("k");
      assertThat(header(d, DeadLetters.ERROR)).contains("cannot decode the record as OTLP protobuf");
      assertThat(header(d, DeadLetters.TOPIC)).isEqualTo(topic);
      assertThat(header(d, DeadLetters.PARTITION)).isEqualTo("0");
      assertThat(header(d, DeadLetters.OFFSET)).isEqualTo("0");
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
