package io.hoptrace.kafka.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.kafka.embedded.EmbeddedKafka;
import io.hoptrace.kafka.embedded.EmbeddedKafkaConfig;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replay re-delivers exactly the chosen range, as copies that point at their originals. */
class TopicReplayerTest {
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  static final TopicReplayer.Progress QUIET = (phase, done, total) -> { };

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static int topics;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.forTests(dir, Ports.freePort(), Ports.freePort()));
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.stop();
    }
  }

  static String newTopic() {
    String name = "replay-test-" + (++topics);
    TopicSetup.ensure(kafka.bootstrapServers(), List.of(Topics.business(name)));
    return name;
  }

  @Test
  void copiesEveryRecordOntoItsPartitionWithTheOriginalContextAsReplayHeaders() throws Exception {
    String topic = newTopic();
    List<ConsumerRecord<String, String>> originals = new ArrayList<>();
    try (KafkaProducer<String, String> p = producer()) {
      for (int i = 0; i < 30; i++) {
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, "product-" + (i % 5), "{\"n\":" + i + "}");
        r.headers().add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        r.headers().add("baggage", "user=1".getBytes(StandardCharsets.UTF_8));
        r.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        p.send(r).get(30, TimeUnit.SECONDS);
      }
    }
    originals.addAll(read(topic, 30));
    TopicReplayer replayer = new TopicReplayer(kafka.bootstrapServers());

    TopicReplayer.Plan plan = replayer.plan(new ReplayRange(topic, Optional.empty(), Optional.empty()));
    TopicReplayer.Result result = replayer.replay(plan, QUIET);

    assertThat(plan.records()).isEqualTo(30);
    assertThat(result.records()).isEqualTo(30);
    List<ConsumerRecord<String, String>> all = read(topic, 60);
    List<ConsumerRecord<String, String>> copies = all.stream().filter(r -> r.headers().lastHeader(ReplayHeaders.OF) != null).toList();
    assertThat(copies).hasSize(30);
    for (ConsumerRecord<String, String> copy : copies) {
      String of = header(copy, ReplayHeaders.OF);
      ConsumerRecord<String, String> original = originals.stream()
          .filter(o -> (o.topic() + "/" + o.partition() + "/" + o.offset()).equals(of)).findFirst().orElseThrow();
      assertThat(copy.partition()).isEqualTo(original.partition());
      assertThat(copy.key()).isEqualTo(original.key());
      assertThat(copy.value()).isEqualTo(original.value());
      assertThat(header(copy, ReplayHeaders.TRACEPARENT)).isEqualTo(TRACEPARENT);
      assertThat(header(copy, "content-type")).isEqualTo("application/json");
      assertThat(copy.headers().lastHeader("traceparent")).as("a copy never carries the original context as its own").isNull();
      assertThat(copy.headers().lastHeader("baggage")).isNull();
      assertThat(header(copy, ReplayHeaders.ID)).isEqualTo(result.replayId());
    }
    assertThat(copies.stream().map(c -> header(c, ReplayHeaders.OF)).collect(Collectors.toSet())).hasSize(30);
  }

  @Test
  void replaysOnlyTheTimeRangeAndAReplayOfAReplayKeepsTheFirstOriginal() throws Exception {
    String topic = newTopic();
    Instant t0 = Instant.now().minusSeconds(3600);
    try (KafkaProducer<String, String> p = producer()) {
      for (int i = 0; i < 10; i++) {
        p.send(new ProducerRecord<>(topic, 0, t0.plusSeconds(60L * i).toEpochMilli(), "k", "v" + i)).get(30, TimeUnit.SECONDS);
      }
    }
    TopicReplayer replayer = new TopicReplayer(kafka.bootstrapServers());
    ReplayRange range = new ReplayRange(topic, Optional.of(t0.plusSeconds(180)), Optional.of(t0.plusSeconds(420)));

    TopicReplayer.Result first = replayer.replay(replayer.plan(range), QUIET);

    assertThat(first.records()).isEqualTo(4);
    List<ConsumerRecord<String, String>> copies = read(topic, 14).stream().filter(r -> r.offset() >= 10).toList();
    assertThat(copies).extracting(ConsumerRecord::value).containsExactly("v3", "v4", "v5", "v6");

    // the copies carry "now" timestamps: replaying the same time range again finds only the originals,
    // and replaying the copies' range points back at the first originals
    TopicReplayer.Result second = replayer.replay(
        replayer.plan(new ReplayRange(topic, Optional.of(Instant.now().minusSeconds(300)), Optional.empty())), QUIET);
    assertThat(second.records()).isEqualTo(4);
    List<ConsumerRecord<String, String>> copiesOfCopies = read(topic, 18).stream().filter(r -> r.offset() >= 14).toList();
    assertThat(copiesOfCopies).extracting(r -> header(r, ReplayHeaders.OF))
        .containsExactly(topic + "/0/3", topic + "/0/4", topic + "/0/5", topic + "/0/6");
  }

  @Test
  void waitsForTheConsumerGroupsOfTheTopic() throws Exception {
    String topic = newTopic();
    try (KafkaProducer<String, String> p = producer()) {
      for (int i = 0; i < 6; i++) {
        p.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
      }
    }
    String group = "replay-waiter-" + topics;
    consumeAndCommit(topic, group, 6);
    TopicReplayer replayer = new TopicReplayer(kafka.bootstrapServers());
    TopicReplayer.Result result = replayer.replay(replayer.plan(new ReplayRange(topic, Optional.empty(), Optional.empty())), QUIET);

    assertThat(replayer.awaitConsumers(result, topic, Duration.ofSeconds(2), QUIET)).containsExactly(group);
    consumeAndCommit(topic, group, 6);
    assertThat(replayer.awaitConsumers(result, topic, Duration.ofSeconds(30), QUIET)).isEmpty();
  }

  @Test
  void aMissingTopicIsNamed() {
    TopicReplayer replayer = new TopicReplayer(kafka.bootstrapServers());
    assertThatThrownBy(() -> replayer.plan(new ReplayRange("no-such-topic", Optional.empty(), Optional.empty())))
        .hasMessageContaining("topic 'no-such-topic' does not exist");
  }

  static String header(ConsumerRecord<String, String> r, String key) {
    return r.headers().lastHeader(key) == null ? null : new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  static KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  static List<ConsumerRecord<String, String>> read(String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(300)).forEach(out::add);
      }
    }
    out.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
    return out;
  }

  static void consumeAndCommit(String topic, String group, int records) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      int seen = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (seen < records && System.nanoTime() < deadline) {
        seen += c.poll(Duration.ofMillis(300)).count();
      }
      c.commitSync();
      assertThat(seen).isEqualTo(records);
    }
  }

}
