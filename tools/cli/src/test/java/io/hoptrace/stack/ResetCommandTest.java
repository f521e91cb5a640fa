package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.config.Env;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./stack reset} deletes the data folder's contents and nothing else: never without a yes,
 * never a folder that is not the stack's. (Against the real stack: {@link ResetTest}.)
 */
class ResetCommandTest {
  @TempDir Path home;
  Path data;

  @BeforeEach
  void dataFolder() throws Exception {
    data = home.resolve(".data");
    Files.createDirectories(data.resolve("kafka/logs"));
    Files.writeString(data.resolve("kafka/logs/meta.properties"), "node.id=1");
    Files.createDirectories(data.resolve("clickhouse/store"));
    Files.write(data.resolve("clickhouse/store/part.bin"), new byte[3000]);
    Files.createDirectories(data.resolve("logs"));
    Files.writeString(data.resolve("logs/order.log"), "started");
  }

  Map<String, String> env(Path dataDir) {
    return Map.of("HOPTRACE_HOME", home.toString(), "HOPTRACE_DATA_DIR", dataDir.toString());
  }

  @Test
  void withYesItWipesKafkaClickHouseAndTheLogsAndSaysWhat() {
    Cli.Result r = Cli.run(env(data), "reset", "--yes");
    assertThat(r.exit()).as(r.err()).isEqualTo(0);
    assertThat(r.out()).contains("deleted " + data.resolve("kafka")).contains("deleted " + data.resolve("clickhouse"))
        .contains("deleted " + data.resolve("logs")).contains("(2.9 KB)");
    assertThat(data).isEmptyDirectory();
    assertThat(Cli.run(env(data), "reset", "--yes").out()).contains("nothing to reset");
  }

  @Test
  void withoutATerminalOrYesItRefusesAndDeletesNothing() {
    Cli.Result r = Cli.run(env(data), "reset");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no terminal to ask on: add --yes");
    assertThat(data.resolve("kafka/logs/meta.properties")).exists();
  }

  @Test
  void onATerminalOnlyAYesWipes() {
    assertThat(onTerminal("n\n").exit()).isEqualTo(1);
    assertThat(onTerminal("\n").out()).contains("kafka  (").contains("wipe them? [y/N]").contains("nothing was deleted");
    assertThat(data.resolve("clickhouse/store/part.bin")).exists();
    assertThat(onTerminal("y\n").exit()).isEqualTo(0);
    assertThat(data).isEmptyDirectory();
  }

  @Test
  void refusesAFolderThatIsNotTheStacks() throws Exception {
    Files.writeString(data.resolve("thesis.tex"), "years of work");
    Cli.Result r = Cli.run(env(data), "reset", "--yes");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("does not look like a hoptrace data folder, it holds [thesis.tex]").contains("nothing was deleted");
    assertThat(data.resolve("kafka/logs/meta.properties")).exists();

    assertThat(Cli.run(env(Path.of("/")), "reset", "--yes").err()).contains("refusing to reset /: it is the root of the file system");
    assertThat(Cli.run(env(Path.of(System.getProperty("user.home"))), "reset", "--yes").err()).contains("it is your home folder");
    assertThat(Cli.run(env(home), "reset", "--yes").err()).contains("it is the repository");
    assertThat(Cli.run(env(home.getParent()), "reset", "--yes").err()).contains("it holds the repository");
    assertThat(Cli.run(env(data.resolve("logs").resolve("..").resolve("..")), "reset", "--yes").err()).as("the same folder, spelt otherwise")
        .contains("it is the repository");
  }

  @Test
  void neverFollowsALinkOutOfTheFolder() throws Exception {
    Path outside = Files.createDirectories(home.resolve("precious"));
    Files.writeString(outside.resolve("keep.txt"), "keep me");
    Files.createSymbolicLink(data.resolve("logs/elsewhere"), outside);
    assertThat(Cli.run(env(data), "reset", "--yes").exit()).isEqualTo(0);
    assertThat(outside.resolve("keep.txt")).hasContent("keep me");
  }

  Cli.Result onTerminal(String answer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        false, new BufferedReader(new StringReader(answer)));
    int exit = StackMain.run(Env.of(env(data)), console, "reset");
    return new Cli.Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
