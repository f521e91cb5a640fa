package io.hoptrace.stack;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.config.Env;
import io.hoptrace.launcher.LaunchConfig;
import io.hoptrace.launcher.Port;
import java.nio.file.Path;

/**
 * Everything {@code ./stack} needs to know, read once from the environment: how to launch the stack
 * ({@link LaunchConfig}) and where the commands that talk to a running one find it.
 */
record StackConfig(LaunchConfig launch, Env env) {
  static StackConfig fromEnv(Env env) {
    return new StackConfig(LaunchConfig.fromEnv(env), env);
  }

  Path home() {
    return launch.home();
  }

  Path dataDir() {
    return launch.dataDir();
  }

  Path stateFile() {
    return dataDir().resolve("stack.state");
  }

  Path logDir() {
    return launch.logDir();
  }

  /** {@code KAFKA_BOOTSTRAP_SERVERS}, else the embedded broker's {@code 127.0.0.1:<HOPTRACE_KAFKA_PORT>}. */
  String kafkaBootstrapServers() {
    return env.optional("KAFKA_BOOTSTRAP_SERVERS").orElse("127.0.0.1:" + env.port(Port.KAFKA.envVar(), Port.KAFKA.defaultPort()));
  }

  /** {@code CLICKHOUSE_URL}, else the embedded server's {@code http://127.0.0.1:<HOPTRACE_CLICKHOUSE_HTTP_PORT>}; user, password, database. */
  ClickHouseSettings clickHouse() {
    return launch.clickHouse(ClickHouseSettings.externalUrl(env)
        .orElse("http://127.0.0.1:" + env.port(Port.CLICKHOUSE_HTTP.envVar(), Port.CLICKHOUSE_HTTP.defaultPort())));
  }

  RetentionConfig retention() {
    return launch.retention();
  }

  io.hoptrace.clickhouse.schema.ClickHouseCluster clickHouseCluster() {
    return launch.clickHouseCluster();
  }
}
