package io.hoptrace.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.TopicSpec;
import io.hoptrace.kafka.Topics;

import io.hoptrace.process.Ports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker is a real Kafka: records with headers go through it and survive a restart. */
class EmbeddedKafkaTest {
  @TempDir static Path dataDir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.forTests(dataDir, Ports.freePort(), Ports.freePort()));
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  void recordWithHeadersGoesThroughAndSurvivesARestart() throws Exception {
    TopicSetup.ensure(kafka.bootstrapServers(), List.of(Topics.business("restart-test")));
    try (KafkaProducer<String, String> producer = producer()) {
      ProducerRecord<String, String> record = new ProducerRecord<>("restart-test", "product-1", "{\"qty\":2}");
      record.headers().add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get(30, TimeUnit.SECONDS);
    }
    assertRecord(readAll("restart-test", 1));

    kafka.restart();

    assertRecord(readAll("restart-test", 1));
  }

  @Test
  void killedBrokerKeepsAcknowledgedRecords() throws Exception {
    TopicSetup.ensure(kafka.bootstrapServers(), List.of(Topics.business("kill-test")));
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 0; i < 100; i++) {
        producer.send(new ProducerRecord<>("kill-test", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
      }
    }
    kafka.kill();
    assertThat(kafka.isRunning()).isFalse();
    kafka.restart();
    assertThat(readAll("kill-test", 100)).hasSize(100);
  }

  @Test
  void topicSetupCreatesTheCatalogueAndIsIdempotent() throws Exception {
    TopicSetup.Report first = TopicSetup.ensure(kafka.bootstrapServers(), Topics.all());
    TopicSetup.Report second = TopicSetup.ensure(kafka.bootstrapServers(), Topics.all());

    assertThat(first.created()).contains(Topics.OTLP_SPANS, Topics.STOCK_REDUCTIONS, Topics.deadLetter(Topics.OTLP_LOGS));
    assertThat(second.created()).isEmpty();
    assertThat(second.updated()).isEmpty();
    assertThat(second.unchanged()).hasSize(Topics.all().size());

    try (Admin admin = TopicSetup.admin(kafka.bootstrapServers())) {
      ConfigResource spans = new ConfigResource(ConfigResource.Type.TOPIC, Topics.OTLP_SPANS);
      Config config = admin.describeConfigs(List.of(spans)).all().get(30, TimeUnit.SECONDS).get(spans);
      assertThat(config.get("max.message.bytes").value()).isEqualTo(String.valueOf(Topics.TELEMETRY_MAX_MESSAGE_BYTES));
      assertThat(admin.describeTopics(List.of(Topics.OTLP_SPANS)).allTopicNames().get().get(Topics.OTLP_SPANS).partitions()).hasSize(3);
    }
  }

  @Test
  void topicSetupCorrectsADriftedConfig() {
    TopicSpec spec = Topics.telemetry("drift-test");
    TopicSetup.ensure(kafka.bootstrapServers(), List.of(spec.withConfig("retention.ms", "1000")));

    TopicSetup.Report report = TopicSetup.ensure(kafka.bootstrapServers(), List.of(spec));

    assertThat(report.updated()).containsExactly("drift-test");
  }

  @Test
  void portInUseNamesTheHolder() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafkaConfig.forTests(dataDir.resolve("other"), port, Ports.freePort())))
          .isInstanceOf(Ports.PortInUseException.class)
          .hasMessageContaining("port " + port + " (Kafka) is already in use by pid " + ProcessHandle.current().pid())
          .hasMessageContaining("HOPTRACE_KAFKA_PORT");
    }
  }

  private static void assertRecord(List<ConsumerRecord<String, String>> records) {
    assertThat(records).hasSize(1);
    ConsumerRecord<String, String> r = records.get(0);
    assertThat(r.key()).isEqualTo("product-1");
    assertThat(r.value()).isEqualTo("{\"qty\":2}");
    assertThat(new String(r.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
        .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  }

  /**
   * A created topic is writable when {@link TopicSetup#ensure} returns: the first record to each of its
   * partitions is accepted at once, by a producer that does not retry. A leader listed in the metadata
   * before it served its partition refused such writes with NOT_LEADER_OR_FOLLOWER, and an idempotent
   * producer then retried them with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout (KAFKA-15591).
   */
  @Test
  void aCreatedTopicIsWritableWhenEnsureReturns() throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    p.put(ProducerConfig.RETRIES_CONFIG, 0); // a refusal fails the send
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 20; i++) {
        String topic = "writable-" + i;
        TopicSetup.ensure(kafka.bootstrapServers(), List.of(Topics.telemetry(topic)));
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sends = new ArrayList<>();
        for (int partition = 0; partition < 3; partition++) {
          sends.add(producer.send(new ProducerRecord<>(topic, partition, null, "first")));
        }
        for (var send : sends) {
          assertThat(send.get(30, TimeUnit.SECONDS).offset()).as(topic + ": the first record of each partition").isZero();
        }
      }
    }
  }

  private static KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(out::add);
      }
    }
    return out;
  }

}
