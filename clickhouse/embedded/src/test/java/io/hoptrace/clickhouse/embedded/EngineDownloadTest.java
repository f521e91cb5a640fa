package io.hoptrace.clickhouse.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's download reports its progress in bytes of the total and hashes what it wrote; npm's answer is read as npm writes it. */
class EngineDownloadTest {
  @TempDir Path dir;
  HttpServer server;
  final byte[] body = new byte[3 * (1 << 20) + 12345];

  @BeforeEach
  void serve() throws Exception {
    new Random(7).nextBytes(body);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/engine.tgz", exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/missing.tgz", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void reportsBytesOfTheTotalAndReturnsTheSha512OfTheFile() throws Exception {
    List<long[]> reports = new ArrayList<>();
    Path file = dir.resolve("engine.tgz");

    byte[] sha512 = EngineCache.download(url("/engine.tgz"), file, (done, total) -> reports.add(new long[] {done, total}));

    assertThat(Files.readAllBytes(file)).isEqualTo(body);
    assertThat(sha512).isEqualTo(MessageDigest.getInstance("SHA-512").digest(body));
    assertThat(reports.get(0)).containsExactly(0, body.length);
    assertThat(reports.get(reports.size() - 1)).containsExactly(body.length, body.length);
    assertThat(reports).as("a report per MiB at least").hasSizeGreaterThanOrEqualTo(4);
    for (int i = 1; i < reports.size(); i++) {
      assertThat(reports.get(i)[0]).isGreaterThanOrEqualTo(reports.get(i - 1)[0]);
    }
  }

  @Test
  void aFailedDownloadNamesTheStatus() {
    assertThatThrownBy(() -> EngineCache.download(url("/missing.tgz"), dir.resolve("x.tgz"), EngineCache.DownloadProgress.NONE))
        .hasMessageContaining("answered HTTP 404");
  }

  @Test
  void readsTheTarballAndItsIntegrityFromNpmView() {
    EngineCache.Tarball t = EngineCache.parseView("{\n  \"dist.tarball\": \"https://example.invalid/p/-/p-1.tgz\",\n"
        + "  \"dist.integrity\": \"sha512-abc+/==\"\n}\n");
    assertThat(t.url()).isEqualTo("https://example.invalid/p/-/p-1.tgz");
    assertThat(t.integrity()).isEqualTo("sha512-abc+/==");
    assertThatThrownBy(() -> EngineCache.parseView("{}")).hasMessageContaining("did not name the tarball");
  }
}
