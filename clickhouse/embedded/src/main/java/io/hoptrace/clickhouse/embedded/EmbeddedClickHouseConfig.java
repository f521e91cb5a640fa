package io.hoptrace.clickhouse.embedded;

import io.hoptrace.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the embedded ClickHouse.
 *
 * @param dataDir the server's {@code --path}: databases live here and survive restarts
 * @param engineCache where {@link EngineCache} keeps the engine library
 * @param host address both listeners bind to (loopback by default)
 * @param httpPort HTTP interface (clickhouse-jdbc, curl)
 * @param tcpPort native protocol (clickhouse-client)
 * @param startTimeout how long to wait for {@code /ping}
 */
public record EmbeddedClickHouseConfig(
    Path dataDir, Path engineCache, String host, int httpPort, int tcpPort, Duration startTimeout) {

  public EmbeddedClickHouseConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(engineCache, "engineCache");
    if (httpPort == tcpPort) {
      throw new IllegalArgumentException("ClickHouse HTTP and native ports must differ, both are " + httpPort);
    }
  }

  /** From {@code HOPTRACE_CLICKHOUSE_HTTP_PORT} (8123), {@code HOPTRACE_CLICKHOUSE_TCP_PORT} (9000), {@code HOPTRACE_DATA_DIR}/clickhouse. */
  public static EmbeddedClickHouseConfig fromEnv(Env env, Path dataRoot) {
    return new EmbeddedClickHouseConfig(
        dataRoot.resolve("clickhouse"),
        EngineCache.defaultRoot(),
        "127.0.0.1",
        env.port("HOPTRACE_CLICKHOUSE_HTTP_PORT", 8123),
        env.port("HOPTRACE_CLICKHOUSE_TCP_PORT", 9000),
        Duration.ofSeconds(120));
  }

  public static EmbeddedClickHouseConfig forTests(Path dataDir, int httpPort, int tcpPort) {
    return new EmbeddedClickHouseConfig(dataDir, EngineCache.defaultRoot(), "127.0.0.1", httpPort, tcpPort, Duration.ofSeconds(120));
  }

  public EmbeddedClickHouseConfig withEngineCache(Path cache) {
    return new EmbeddedClickHouseConfig(dataDir, cache, host, httpPort, tcpPort, startTimeout);
  }

  public String httpUrl() {
    return "http://" + host + ":" + httpPort;
  }
}
