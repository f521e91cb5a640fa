package io.hoptrace.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Files of the repository, read from the tests of the deploy module. */
final class Repo {
  private Repo() {}

  static Path root() {
    String prop = System.getProperty("hoptrace.repo.root");
    Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath().getParent();
    if (!Files.exists(p.resolve("docker-compose.yml"))) {
      p = Path.of("").toAbsolutePath().getParent();
    }
    return p;
  }

  static String read(String relative) {
    try {
      return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String relative) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(options).loadAs(read(relative), Map.class);
  }
}
