package io.hoptrace.launcher;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.schema.ClickHouseCluster;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.config.Env;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the launcher needs to know, read once.
 *
 * @param home the repository root: the packaged jars live under it ({@code HOPTRACE_HOME})
 * @param dataDir Kafka and ClickHouse data, {@code logs/} ({@code HOPTRACE_DATA_DIR}, default {@code .data})
 * @param env settings: heaps, JVM options, ClickHouse user and database, retention, the OpenTelemetry variables
 * @param ports chosen or free ports
 * @param externalKafka {@code KAFKA_BOOTSTRAP_SERVERS}: when set, no broker is started, the topics are set up there
 * @param externalClickHouse {@code CLICKHOUSE_URL}: when set, no ClickHouse is started, the schema is migrated there
 * @param heaps heap per role, where it differs from {@code HOPTRACE_SERVICE_HEAP} / {@code HOPTRACE_COLLECTOR_HEAP}
 * @param roleEnv extra environment per role (a seed catalogue, self-metrics off...)
 */
public record LaunchConfig(
    Path home,
    Path dataDir,
    Env env,
    PortPlan ports,
    Optional<String> externalKafka,
    Optional<String> externalClickHouse,
    Map<Role, String> heaps,
    Map<Role, Map<String, String>> roleEnv) {

  public LaunchConfig {
    home = home.toAbsolutePath().normalize();
    dataDir = dataDir.toAbsolutePath().normalize();
    heaps = Map.copyOf(heaps);
    Map<Role, Map<String, String>> copy = new EnumMap<>(Role.class);
    roleEnv.forEach((r, e) -> copy.put(r, Map.copyOf(e)));
    roleEnv = Map.copyOf(copy);
  }

  /**
   * {@code ./stack up}: home {@code HOPTRACE_HOME} (the working directory), data {@code HOPTRACE_DATA_DIR}
   * (default {@code <home>/.data}), the ports of the variables, Kafka and ClickHouse external when
   * {@code KAFKA_BOOTSTRAP_SERVERS} / {@code CLICKHOUSE_URL} say so, the services' telemetry to
   * {@code OTEL_EXPORTER_OTLP_ENDPOINT} and order's inventory at {@code INVENTORY_URL} when set.
   */
  public static LaunchConfig fromEnv(Env env) {
    Path home = env.path("HOPTRACE_HOME", Path.of("").toAbsolutePath());
    // the user's own telemetry endpoint or inventory win over the ones the stack would choose
    Map<Role, Map<String, String>> overrides = new EnumMap<>(Role.class);
    env.optional("OTEL_EXPORTER_OTLP_ENDPOINT").ifPresent(e -> {
      overrides.computeIfAbsent(Role.INVENTORY, r -> new LinkedHashMap<>()).put("OTEL_EXPORTER_OTLP_ENDPOINT", e);
      overrides.computeIfAbsent(Role.ORDER, r -> new LinkedHashMap<>()).put("OTEL_EXPORTER_OTLP_ENDPOINT", e);
    });
    env.optional("INVENTORY_URL").ifPresent(u -> overrides.computeIfAbsent(Role.ORDER, r -> new LinkedHashMap<>()).put("INVENTORY_URL", u));
    return new LaunchConfig(home, env.path("HOPTRACE_DATA_DIR", home.resolve(".data")), env, PortPlan.fromEnv(env),
        env.optional("KAFKA_BOOTSTRAP_SERVERS"), ClickHouseSettings.externalUrl(env), Map.of(), overrides);
  }

  /**
   * A private stack (benchmarks, fault suite, test infrastructure): its own data folder, free ports,
   * its own Kafka and ClickHouse whatever the environment says, so a running {@code ./stack up} is untouched.
   */
  public static LaunchConfig privateStack(Path home, Path dataDir, Env env) {
    return new LaunchConfig(home, dataDir, env, PortPlan.free(), Optional.empty(), Optional.empty(), Map.of(), Map.of());
  }

  /** The same with {@code role}'s JVM heap set to {@code heap} (e.g. {@code 384m}). */
  public LaunchConfig withHeap(Role role, String heap) {
    Map<Role, String> h = new EnumMap<>(Role.class);
    h.putAll(heaps);
    h.put(role, heap);
    return new LaunchConfig(home, dataDir, env, ports, externalKafka, externalClickHouse, h, roleEnv);
  }

  /** The same with {@code vars} added to the environment of every instance of {@code role}. */
  public LaunchConfig withEnv(Role role, Map<String, String> vars) {
    Map<Role, Map<String, String>> e = new EnumMap<>(Role.class);
    e.putAll(roleEnv);
    Map<String, String> merged = new LinkedHashMap<>(e.getOrDefault(role, Map.of()));
    merged.putAll(vars);
    e.put(role, merged);
    return new LaunchConfig(home, dataDir, env, ports, externalKafka, externalClickHouse, heaps, e);
  }

  /**
   * The JVM heap of {@code role}: {@code HOPTRACE_COLLECTOR_HEAP} (768m) for the collector's processes,
   * which hold batches of records and rows for a second or two (at 384m G1 spent a third of its CPU
   * copying and marking them), {@code HOPTRACE_SERVICE_HEAP} (384m) for the services.
   */
  public String heap(Role role) {
    String explicit = heaps.get(role);
    if (explicit != null) {
      return explicit;
    }
    return role.isCollector() ? env.string("HOPTRACE_COLLECTOR_HEAP", "768m") : env.string("HOPTRACE_SERVICE_HEAP", "384m");
  }

  /** User, password and database of the OpenTelemetry tables ({@code CLICKHOUSE_*}); the URL is the stack's. */
  public ClickHouseSettings clickHouse(String url) {
    return ClickHouseSettings.fromEnv(env).withUrl(url);
  }

  public RetentionConfig retention() {
    return RetentionConfig.fromEnv(env);
  }

  /** Single node, or the ClickHouse cluster of {@code CLICKHOUSE_CLUSTER}. */
  public ClickHouseCluster clickHouseCluster() {
    return ClickHouseCluster.fromEnv(env);
  }

  public Path logDir() {
    return dataDir.resolve("logs");
  }
}
