package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack script answers help, a command's help, the version and an unknown command on a fresh
 * clone, where nothing is built: here, a folder holding only the script and the committed usage (a
 * build would fail there for want of a pom.xml).
 */
class StackScriptTest {
  static final Path REPO = Path.of(System.getProperty("hoptrace.repo.root", "../.."));
  @TempDir Path clone;

  @BeforeEach
  void freshClone() throws IOException {
    Files.copy(REPO.resolve("stack"), clone.resolve("stack"));
    clone.resolve("stack").toFile().setExecutable(true);
    Files.createDirectories(clone.resolve("tools/cli"));
    Files.copy(REPO.resolve(UsageText.FILE), clone.resolve(UsageText.FILE));
  }

  record Run(int exit, String out, String err) {}

  Run stack(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", clone.resolve("stack").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(clone.toFile());
    pb.environment().remove("HOPTRACE_HOME");
    pb.environment().put("HOPTRACE_DATA_DIR", clone.resolve(".data").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  /** A section of the committed usage text (UsageTextTest holds it to the command classes). */
  String section(String name) throws IOException {
    String text = Files.readString(REPO.resolve(UsageText.FILE), StandardCharsets.UTF_8);
    int start = text.indexOf("@@ " + name + "\n") + name.length() + 4;
    int end = text.indexOf("\n@@ ", start);
    return text.substring(start, end + 1);
  }

  @Test
  void helpOnAFreshCloneNeedsNoBuild() throws Exception {
    for (String[] args : new String[][] {{}, {"help"}, {"--help"}, {"-h"}}) {
      Run r = stack(args);
      assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(0);
      assertThat(r.out()).isEqualTo(section("./stack"));
    }
    Run up = stack("up", "--help");
    assertThat(up.exit()).isEqualTo(0);
    assertThat(up.out()).isEqualTo(section("./stack up"));
    assertThat(stack("help", "replay").out()).isEqualTo(section("./stack replay"));
    assertThat(stack("trace", "-h").out()).isEqualTo(section("./stack trace"));
    Run version = stack("--version");
    assertThat(version.out()).startsWith("hoptrace ");
    assertThat(Files.exists(clone.resolve("tools/cli/target"))).as("nothing was built").isFalse();
  }

  @Test
  void anUnknownCommandIsAUsageErrorWithoutABuild() throws Exception {
    Run r = stack("deploy");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: unknown command 'deploy'");
    assertThat(r.out()).isEmpty();
    assertThat(stack("help", "deploy").exit()).isEqualTo(2);
  }
}
