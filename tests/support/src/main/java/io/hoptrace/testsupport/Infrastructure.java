package io.hoptrace.testsupport;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouseConfig;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import io.hoptrace.kafka.embedded.EmbeddedKafka;
import io.hoptrace.kafka.embedded.EmbeddedKafkaConfig;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.TopicSpec;
import io.hoptrace.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka and a real ClickHouse for integration tests (see {@link RealInfrastructure}). Tests
 * share them, so each test takes its own names: {@link #unique} topics, groups and databases.
 */
public final class Infrastructure implements ExtensionContext.Store.CloseableResource {
  public static final String ENV_KAFKA = "HOPTRACE_TEST_KAFKA_BOOTSTRAP_SERVERS";
  public static final String ENV_CLICKHOUSE = "HOPTRACE_TEST_CLICKHOUSE_URL";

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String kafkaBootstrapServers;
  private final String clickHouseUrl;
  private final EmbeddedKafka ownKafka;
  private final EmbeddedClickHouse ownClickHouse;
  private final Path ownDataDir;

  private Infrastructure(String kafka, String clickHouse, EmbeddedKafka ownKafka, EmbeddedClickHouse ownClickHouse, Path dir) {
    this.kafkaBootstrapServers = kafka;
    this.clickHouseUrl = clickHouse;
    this.ownKafka = ownKafka;
    this.ownClickHouse = ownClickHouse;
    this.ownDataDir = dir;
  }

  static Infrastructure startOrAttach() {
    String kafka = System.getenv(ENV_KAFKA);
    String clickHouse = System.getenv(ENV_CLICKHOUSE);
    if (kafka != null && !kafka.isBlank() && clickHouse != null && !clickHouse.isBlank()) {
      return new Infrastructure(kafka, clickHouse, null, null, null);
    }
    Path dir = newDataDir("shared");
    EmbeddedKafka k = EmbeddedKafka.start(EmbeddedKafkaConfig.forTests(dir.resolve("kafka"), Ports.freePort(), Ports.freePort()));
    try {
      EmbeddedClickHouse ch = EmbeddedClickHouse.start(EmbeddedClickHouseConfig.forTests(dir.resolve("clickhouse"), Ports.freePort(), Ports.freePort()));
      return new Infrastructure(k.bootstrapServers(), ch.httpUrl(), k, ch, dir);
    } catch (RuntimeException e) {
      k.stop();
      throw e;
    }
  }

  public String kafkaBootstrapServers() {
    return kafkaBootstrapServers;
  }

  public String clickHouseUrl() {
    return clickHouseUrl;
  }

  /** Settings for a database of its own (not yet created: see {@link #migratedDatabase}). */
  public ClickHouseSettings clickHouse(String database) {
    return new ClickHouseSettings(clickHouseUrl, "default", "", database);
  }

  /** A fresh database with the full contract schema applied. */
  public ClickHouseSettings migratedDatabase(String prefix) {
    ClickHouseSettings s = clickHouse(unique(prefix).replace('-', '_').replace('.', '_'));
    new SchemaMigrator(s, RetentionConfig.DEFAULT).migrate();
    return s;
  }

  /** Creates topics (idempotent). */
  public void createTopics(Collection<TopicSpec> specs) {
    TopicSetup.ensure(kafkaBootstrapServers, specs);
  }

  /** A name no other test in this run uses: {@code prefix-<pid>-<n>}. */
  public static String unique(String prefix) {
    return (prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet()).toLowerCase(Locale.ROOT);
  }

  /**
   * A Kafka broker of the test's own, for tests that stop or kill it. The caller closes it; its data
   * lives under {@code dir}.
   */
  public static EmbeddedKafka privateKafka(Path dir) {
    return EmbeddedKafka.start(EmbeddedKafkaConfig.forTests(dir, Ports.freePort(), Ports.freePort()));
  }

  /** A ClickHouse of the test's own, for tests that stop or kill it. The caller closes it. */
  public static EmbeddedClickHouse privateClickHouse(Path dir) {
    return EmbeddedClickHouse.start(EmbeddedClickHouseConfig.forTests(dir, Ports.freePort(), Ports.freePort()));
  }

  /** A temporary folder for test data, removed by {@link #close} for the shared pair. */
  public static Path newDataDir(String name) {
    try {
      return Files.createTempDirectory("hoptrace-test-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (ownClickHouse != null) {
      ownClickHouse.stop();
    }
    if (ownKafka != null) {
      ownKafka.stop();
    }
    if (ownDataDir != null) {
      deleteQuietly(ownDataDir);
    }
  }

  static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: a temp folder left behind is harmless
    }
  }

  @Override
  public String toString() {
    return "Infrastructure[kafka=" + kafkaBootstrapServers + ", clickhouse=" + clickHouseUrl
        + (ownKafka == null ? ", borrowed from ./stack test" : ", own") + "]";
  }

}
