package io.hoptrace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret inline or from its {@code _FILE}, never both, never an empty or missing file. */
class EnvSecretTest {
  @TempDir Path dir;

  @Test
  void inlineFileOrNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "s3cret\n");
    assertThat(Env.of(Map.of()).secret("T")).isEmpty();
    assertThat(Env.of(Map.of("T", "inline")).secret("T")).contains("inline");
    assertThat(Env.of(Map.of("T_FILE", file.toString())).secret("T")).contains("s3cret");
  }

  @Test
  void bothSetAMissingFileAndAnEmptyFileAreErrorsNamingTheVariable() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> Env.of(Map.of("T", "a", "T_FILE", empty.toString())).secret("T"))
        .isInstanceOf(Env.ConfigException.class).hasMessage("T and T_FILE are both set: set one of them");
    assertThatThrownBy(() -> Env.of(Map.of("T_FILE", dir.resolve("nope").toString())).secret("T"))
        .isInstanceOf(Env.ConfigException.class).hasMessageStartingWith("T_FILE=" + dir.resolve("nope") + " is invalid: cannot read it");
    assertThatThrownBy(() -> Env.of(Map.of("T_FILE", empty.toString())).secret("T"))
        .isInstanceOf(Env.ConfigException.class).hasMessage("T_FILE=" + empty + " is invalid: the file is empty");
  }
}
