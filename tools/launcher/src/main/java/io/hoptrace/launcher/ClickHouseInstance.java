package io.hoptrace.launcher;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouseConfig;
import io.hoptrace.clickhouse.embedded.EngineCache;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded ClickHouse (the engine fetched once into its cache, with progress; data in
 * {@code <data>/clickhouse}), or an external server it only checks. Its first start also applies the
 * schema migrations and retention.
 */
public final class ClickHouseInstance implements Instance {
  private final InstanceId id;
  private final LaunchConfig config;
  private final Optional<String> external;
  private final EmbeddedClickHouseConfig embedded;
  private final ClickHouseSettings settings;
  private final Progress progress;
  private volatile EmbeddedClickHouse server;
  private boolean schemaReady;

  ClickHouseInstance(InstanceId id, LaunchConfig config, Progress progress) {
    this.id = id;
    this.config = config;
    this.external = config.externalClickHouse();
    this.progress = progress;
    this.embedded = new EmbeddedClickHouseConfig(config.dataDir().resolve(id.name()), EngineCache.defaultRoot(), "127.0.0.1",
        config.ports().port(id, Port.CLICKHOUSE_HTTP), config.ports().port(id, Port.CLICKHOUSE_TCP), Duration.ofSeconds(120),
        Optional.empty(), Map.of());
    this.settings = config.clickHouse(external.orElse(embedded.httpUrl()));
  }

  @Override
  public InstanceId id() {
    return id;
  }

  /** URL, user, password and database of the OpenTelemetry tables here. */
  public ClickHouseSettings settings() {
    return settings;
  }

  public boolean isExternal() {
    return external.isPresent();
  }

  @Override
  public synchronized void start() {
    if (external.isEmpty()) {
      if (server == null) {
        // fetched here rather than inside EmbeddedClickHouse.start so that the download shows its progress
        new EngineCache(embedded.engineCache()).ensure((done, total) -> progress.download("ClickHouse engine", done, total));
        server = EmbeddedClickHouse.start(embedded);
      } else {
        server.restart();
      }
    }
    if (!schemaReady) {
      progress.detail("schema: " + new SchemaMigrator(settings, config.retention(), config.clickHouseCluster()).migrate());
      schemaReady = true;
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Override
  public void kill() {
    if (server != null) {
      server.kill();
    }
  }

  @Override
  public boolean isAlive() {
    return external.isPresent() || server != null && server.isRunning();
  }

  @Override
  public boolean isHealthy() {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(settings.url() + "/ping").toURL().openConnection();
      c.setConnectTimeout(2_000);
      c.setReadTimeout(3_000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Override
  public long pid() {
    return server != null && server.isRunning() ? server.pid() : -1;
  }

  @Override
  public Map<Port, Integer> ports() {
    return external.isPresent() ? Map.of() : Map.of(Port.CLICKHOUSE_HTTP, embedded.httpPort(), Port.CLICKHOUSE_TCP, embedded.tcpPort());
  }

  @Override
  public List<String> addresses() {
    if (external.isPresent()) {
      return List.of("ClickHouse HTTP  " + settings.url() + "  (external)", "ClickHouse db    " + settings.database());
    }
    return List.of("ClickHouse HTTP  " + settings.url() + "  (embedded, data in " + embedded.dataDir() + ")",
        "ClickHouse TCP   " + embedded.host() + ":" + embedded.tcpPort() + "  (database " + settings.database() + ")");
  }
}
