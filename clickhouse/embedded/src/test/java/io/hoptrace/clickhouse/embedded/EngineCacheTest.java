package io.hoptrace.clickhouse.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt cached engine is detected and fetched again; a good one is used as is. */
class EngineCacheTest {
  @TempDir Path cache;

  @Test
  void truncatedLibraryIsDetected() throws IOException {
    Path lib = Files.writeString(cache.resolve("libchdb.so"), "not an engine");
    assertThat(EngineCache.verify(lib)).startsWith("size 13 bytes, expected " + EngineCache.LIBRARY_SIZE);
  }

  @Test
  void corruptCachedLibraryIsFetchedAgainAndVerified() throws IOException {
    EngineCache engines = new EngineCache(cache);
    Path lib = engines.libraryPath();
    Files.createDirectories(lib.getParent());
    Files.writeString(lib, "garbage left by an interrupted download");

    Path ensured = engines.ensure();

    assertThat(ensured).isEqualTo(lib);
    assertThat(Files.size(lib)).isEqualTo(EngineCache.LIBRARY_SIZE);
    assertThat(EngineCache.verify(lib)).isNull();
    // no staging folders or tarballs are left behind
    try (var left = Files.list(cache)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".lock", EngineCache.VERSION);
    }
  }
}
