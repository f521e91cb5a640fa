package io.hoptrace.clickhouse.embedded;

import io.hoptrace.process.ChildJvm;
import io.hoptrace.process.ChildProcess;
import io.hoptrace.process.Poll;
import io.hoptrace.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real ClickHouse (26.7, the engine from {@link EngineCache}) serving the HTTP and native protocols
 * from its own JVM process, with a persistent data folder. Ready when {@code /ping} answers. Used
 * alike by {@code ./stack up} and the tests.
 */
public final class EmbeddedClickHouse implements AutoCloseable {
  private final EmbeddedClickHouseConfig config;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile ChildProcess server;

  private EmbeddedClickHouse(EmbeddedClickHouseConfig config) {
    this.config = config;
  }

  /** Fetches the engine if needed, starts the server and returns once it answers {@code /ping}. */
  public static EmbeddedClickHouse start(EmbeddedClickHouseConfig config) {
    EmbeddedClickHouse ch = new EmbeddedClickHouse(config);
    ch.startServer();
    return ch;
  }

  public EmbeddedClickHouseConfig config() {
    return config;
  }

  public String httpUrl() {
    return config.httpUrl();
  }

  public long pid() {
    return server.pid();
  }

  public boolean isRunning() {
    return server != null && server.isAlive();
  }

  /** SIGTERM (the engine flushes and exits), SIGKILL after 30 s. */
  public void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(30));
    }
  }

  /** {@code kill -9}: what a crash looks like. */
  public void kill() {
    if (server != null) {
      server.kill();
    }
  }

  public void restart() {
    stop();
    startServer();
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void startServer() {
    Ports.requireFree(config.host(), config.httpPort(), "ClickHouse HTTP", "HOPTRACE_CLICKHOUSE_HTTP_PORT");
    Ports.requireFree(config.host(), config.tcpPort(), "ClickHouse native", "HOPTRACE_CLICKHOUSE_TCP_PORT");
    Path lib = new EngineCache(config.engineCache()).ensure();
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the ClickHouse data folder " + config.dataDir(), e);
    }
    List<String> args = new ArrayList<>(List.of(
        "--lib=" + lib,
        "--path=" + config.dataDir().toAbsolutePath() + "/",
        "--host=" + config.host(),
        "--http-port=" + config.httpPort(),
        "--tcp-port=" + config.tcpPort()));
    config.serverConfig().ifPresent(file -> args.add("--config-file=" + file.toAbsolutePath()));
    server = ChildJvm.builder("clickhouse")
        .classpath(ChildJvm.locationOf(ChdbServerMain.class))
        .classpath(ChildJvm.locationOf(com.sun.jna.Native.class))
        .mainClass(ChdbServerMain.class.getName())
        // the engine allocates natively; the JVM around it only needs room for JNA
        .jvmArg("-Xmx64m")
        .jvmArg("-XX:+UseSerialGC")
        .args(args)
        .env(config.engineEnv())
        .logFile(config.dataDir().resolve("server.log"))
        .workingDir(config.dataDir())
        .build()
        .start();
    awaitReady();
  }

  private void awaitReady() {
    HttpRequest ping = HttpRequest.newBuilder(URI.create(config.httpUrl() + "/ping")).timeout(Duration.ofSeconds(2)).build();
    try {
      Poll.until("ClickHouse at " + config.httpUrl(), config.startTimeout(), Duration.ofMillis(100), () -> {
        if (!server.isAlive()) {
          throw new IllegalStateException("the ClickHouse process exited");
        }
        HttpResponse<String> r = http.send(ping, HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().startsWith("Ok");
      });
    } catch (Poll.TimeoutException e) {
      server.stop(Duration.ofSeconds(5));
      throw new IllegalStateException("ClickHouse did not start (" + e.getMessage() + "). Last lines of "
          + server.logFile() + ":\n" + server.tail(30), e);
    }
  }
}
