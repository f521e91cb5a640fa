package io.hoptrace.clickhouse.embedded;

import io.hoptrace.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the embedded ClickHouse.
 *
 * @param dataDir the server's {@code --path}: databases live here and survive restarts
 * @param engineCache where {@link EngineCache} keeps the engine library
 * @param host address both listeners bind to (loopback by default)
 * @param httpPort HTTP interface (clickhouse-jdbc, curl)
 * @param tcpPort native protocol (clickhouse-client)
 * @param startTimeout how long to wait for {@code /ping}
 * @param serverConfig an extra ClickHouse configuration file for the engine ({@code --config-file}),
 *     e.g. one whose {@code users_config} defines users with passwords and grants; none by default
 *     (then the one user is {@code default}, without password, allowed everything)
 * @param engineEnv environment of the engine's process (what {@code from_env} in that configuration reads)
 */
public record EmbeddedClickHouseConfig(
    Path dataDir, Path engineCache, String host, int httpPort, int tcpPort, Duration startTimeout,
    Optional<Path> serverConfig, Map<String, String> engineEnv) {

  public EmbeddedClickHouseConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(engineCache, "engineCache");
    Objects.requireNonNull(serverConfig, "serverConfig");
    engineEnv = Map.copyOf(engineEnv);
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
        Duration.ofSeconds(120), Optional.empty(), Map.of());
  }

  public static EmbeddedClickHouseConfig forTests(Path dataDir, int httpPort, int tcpPort) {
    return new EmbeddedClickHouseConfig(dataDir, EngineCache.defaultRoot(), "127.0.0.1", httpPort, tcpPort, Duration.ofSeconds(120),
        Optional.empty(), Map.of());
  }

  public EmbeddedClickHouseConfig withEngineCache(Path cache) {
    return new EmbeddedClickHouseConfig(dataDir, cache, host, httpPort, tcpPort, startTimeout, serverConfig, engineEnv);
  }

  /** The engine started with {@code configFile} ({@code --config-file}) and {@code env} in its environment. */
  public EmbeddedClickHouseConfig withServerConfig(Path configFile, Map<String, String> env) {
    return new EmbeddedClickHouseConfig(dataDir, engineCache, host, httpPort, tcpPort, startTimeout, Optional.of(configFile), env);
  }

  public String httpUrl() {
    return "http://" + host + ":" + httpPort;
  }
}
