package io.hoptrace.collector;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.config.Env;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Poll;
import io.hoptrace.process.Ports;
import io.hoptrace.testsupport.Infrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A collector for one test class: private topics, a fresh migrated database, free ports, short
 * batch delay, self-metrics off. Runs in-process ({@link #start}) or gives the environment for a
 * child JVM ({@link #env}).
 */
public final class TestCollector implements AutoCloseable {
  public final String kafka;
  public final ClickHouseSettings clickHouse;
  public final String prefix;
  public final Map<String, String> env = new HashMap<>();
  private Collector collector;

  public TestCollector(String kafka, ClickHouseSettings clickHouse, String name) {
    this.kafka = kafka;
    this.clickHouse = clickHouse;
    this.prefix = Infrastructure.unique(name);
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
    env.put("CLICKHOUSE_URL", clickHouse.url());
    env.put("CLICKHOUSE_DATABASE", clickHouse.database());
    env.put("COLLECTOR_TOPIC_SPANS", prefix + ".spans");
    env.put("COLLECTOR_TOPIC_METRICS", prefix + ".metrics");
    env.put("COLLECTOR_TOPIC_LOGS", prefix + ".logs");
    env.put("COLLECTOR_GROUP_PREFIX", prefix);
    env.put("COLLECTOR_OTLP_HTTP_PORT", Integer.toString(Ports.freePort()));
    env.put("COLLECTOR_OTLP_GRPC_PORT", Integer.toString(Ports.freePort()));
    env.put("COLLECTOR_HEALTH_PORT", Integer.toString(Ports.freePort()));
    env.put("COLLECTOR_BATCH_DELAY", "200ms");
    env.put("COLLECTOR_SELF_METRICS_INTERVAL", "0");
    env.put("COLLECTOR_RETRY_MAX_BACKOFF", "2s");
    env.put("COLLECTOR_RECEIVER_INSTANCES", "1");
    env.put("COLLECTOR_ROLES", "receiver,ingester"); // the query role has tests of its own
  }

  public static TestCollector on(Infrastructure infra, String name) {
    return new TestCollector(infra.kafkaBootstrapServers(), infra.migratedDatabase(name.replace('-', '_')), name);
  }

  public TestCollector with(String key, String value) {
    env.put(key, value);
    return this;
  }

  public String topic(Signal s) {
    return env.get(switch (s) {
      case TRACES -> "COLLECTOR_TOPIC_SPANS";
      case METRICS -> "COLLECTOR_TOPIC_METRICS";
      case LOGS -> "COLLECTOR_TOPIC_LOGS";
    });
  }

  public void createTopics() {
    TopicSetup.ensure(kafka, List.of(
        Topics.telemetry(topic(Signal.TRACES)), Topics.deadLetterOf(topic(Signal.TRACES)),
        Topics.telemetry(topic(Signal.METRICS)), Topics.deadLetterOf(topic(Signal.METRICS)),
        Topics.telemetry(topic(Signal.LOGS)), Topics.deadLetterOf(topic(Signal.LOGS))));
  }

  /**
   * Writes {@code values} straight to a signal's topic, as the receiver would, value {@code i} to
   * partition {@code partitionOf(i)}, and returns once Kafka acknowledged every one (a refused record
   * fails here, by name, not later as a count that never comes).
   */
  public void write(Signal signal, List<byte[]> values, IntUnaryOperator partitionOf) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        sends.add(p.send(new ProducerRecord<>(topic(signal), partitionOf.applyAsInt(i), null, values.get(i))));
      }
      for (var send : sends) {
        send.get(30, TimeUnit.SECONDS);
      }
    }
  }

  public TestCollector start(String... args) throws Exception {
    collector = Collector.start(CollectorConfig.fromEnv(Env.of(env), List.of(args)));
    return this;
  }

  public String httpUrl() {
    return "http://127.0.0.1:" + env.get("COLLECTOR_OTLP_HTTP_PORT");
  }

  public int grpcPort() {
    return Integer.parseInt(env.get("COLLECTOR_OTLP_GRPC_PORT"));
  }

  public String healthUrl() {
    return "http://127.0.0.1:" + env.get("COLLECTOR_HEALTH_PORT") + "/";
  }

  /** The first column of the first row of a ClickHouse query, as text ("" when no row). */
  public String query(String sql) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(clickHouse.url() + "/?database="
          + clickHouse.database())).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("ClickHouse answered " + r.statusCode() + ": " + r.body());
      }
      return r.body().strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public long count(String sql) {
    String v = query(sql);
    return v.isEmpty() ? 0 : Long.parseLong(v.split("\\s+")[0]);
  }

  /** Waits until {@code sql} returns {@code expected}. */
  public void await(String sql, long expected, Duration timeout) {
    Poll.until(sql + " = " + expected, timeout, Duration.ofMillis(200), () -> count(sql) == expected);
  }

  @Override
  public void close() {
    if (collector != null) {
      collector.close();
      collector = null;
    }
  }
}
