package io.hoptrace.stack;

import io.hoptrace.config.Env;
import io.hoptrace.launcher.LaunchConfig;
import io.hoptrace.launcher.Progress;
import io.hoptrace.launcher.Stack;
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
  private final StackConfig config;
  private final Console console;

  TestInfra(StackConfig config, Console console) {
    this.config = config;
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
    Stack stack = new Stack(LaunchConfig.privateStack(config.home(), dir, Env.system()), Progress.SILENT);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stack.close();
      delete(dir);
    }, "test-infra-shutdown"));
    stack.start(Stack.INFRASTRUCTURE);
    String kafka = stack.kafka().bootstrapServers();
    String clickHouse = stack.clickHouse().settings().url();
    try {
      Files.writeString(envFile, "HOPTRACE_TEST_KAFKA_BOOTSTRAP_SERVERS=" + kafka + "\n"
          + "HOPTRACE_TEST_CLICKHOUSE_URL=" + clickHouse + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + envFile, e);
    }
    console.line("test infrastructure: Kafka " + kafka + ", ClickHouse " + clickHouse);
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
