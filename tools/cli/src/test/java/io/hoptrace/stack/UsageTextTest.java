package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The usage the stack script prints without building is the one the command classes declare. */
class UsageTextTest {
  static final Path FILE = Path.of(System.getProperty("hoptrace.repo.root", "../..")).resolve(UsageText.FILE);

  @Test
  void theCommittedUsageIsTheCommandClassesUsage() throws IOException {
    String expected = UsageText.render();
    if (Boolean.getBoolean("hoptrace.usage.write")) {
      Files.writeString(FILE, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "(missing)")
        .as(UsageText.FILE + " is out of date; regenerate it with\n  mvn -o -q verify -pl tools/cli -am -Dtest=UsageTextTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dhoptrace.usage.write=true")
        .isEqualTo(expected);
  }

  @Test
  void everyCommandHasASectionAndTheHiddenOneNone() {
    String text = UsageText.render();
    for (String command : new String[] {"up", "start", "stop", "status", "test", "bench", "faults", "replay", "trace", "traces", "retention", "help"}) {
      assertThat(text).contains("\n@@ ./stack " + command + "\n").contains("\nUsage: ./stack " + command + " [");
    }
    assertThat(text).doesNotContain("test-infra").contains("@@ --version\nhoptrace ");
  }
}
