package io.hoptrace.stack;

import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouseConfig;
import io.hoptrace.kafka.embedded.EmbeddedKafka;
import io.hoptrace.kafka.embedded.EmbeddedKafkaConfig;
import io.hoptrace.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ./stack test-infra <env-file>}: one real Kafka and one real ClickHouse on free ports for a
 * whole {@code ./stack test} run. Writes the variables the test extension reads into the env file,
 * then runs until its standard input closes (the test script ends) or it is terminated.
 */
final class TestInfra {
  private final Console console;

  TestInfra(Console console) {
    this.console = console;
  }

  int run(List<String> args) {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("usage: ./stack test-infra <env-file>");
    }
    Path envFile = Path.of(args.get(0));
    Path dir;
    try {
      dir = Files.createTempDirectory("hoptrace-test-infra-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.forTests(dir.resolve("kafka"), Ports.freePort(), Ports.freePort()));
    EmbeddedClickHouse clickhouse;
    try {
      clickhouse = EmbeddedClickHouse.start(EmbeddedClickHouseConfig.forTests(dir.resolve("clickhouse"), Ports.freePort(), Ports.freePort()));
    } catch (RuntimeException e) {
      kafka.stop();
      throw e;
    }
    Runnable shutdown = () -> {
      clickhouse.stop();
      kafka.stop();
      delete(dir);
    };
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "test-infra-shutdown"));
    try {
      Files.writeString(envFile, "HOPTRACE_TEST_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers() + "\n"
          + "HOPTRACE_TEST_CLICKHOUSE_URL=" + clickhouse.httpUrl() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + envFile, e);
    }
    console.line("test infrastructure: Kafka " + kafka.bootstrapServers() + ", ClickHouse " + clickhouse.httpUrl());
    try {
      while (System.in.read() >= 0) {
        // wait for EOF: the script that started us has ended
      }
    } catch (IOException e) {
      // stdin gone: same as EOF
    }
    return 0;
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // temp folder left behind: harmless
    }
  }
}
