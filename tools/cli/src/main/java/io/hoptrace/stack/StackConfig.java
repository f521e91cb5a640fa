package io.hoptrace.stack;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouseConfig;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.kafka.embedded.EmbeddedKafkaConfig;
import io.hoptrace.config.Env;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything {@code ./stack} needs to know, read once from the environment.
 *
 * @param home the repository root (service jars live under it)
 * @param dataDir {@code HOPTRACE_DATA_DIR}, default {@code .data}: Kafka and ClickHouse data, logs, the state file
 * @param externalKafka {@code KAFKA_BOOTSTRAP_SERVERS}: when set, no broker is started
 * @param embeddedKafka the embedded broker's settings otherwise
 * @param externalClickHouse {@code CLICKHOUSE_URL}: when set, no ClickHouse is started
 * @param embeddedClickHouse the embedded server's settings otherwise
 * @param clickHouse user, password and database (and URL, once known)
 * @param retention TTLs the migration step applies
 */
record StackConfig(
    Path home,
    Path dataDir,
    Optional<String> externalKafka,
    EmbeddedKafkaConfig embeddedKafka,
    Optional<String> externalClickHouse,
    EmbeddedClickHouseConfig embeddedClickHouse,
    ClickHouseSettings clickHouse,
    RetentionConfig retention,
    Env env) {

  static StackConfig fromEnv(Env env) {
    Path home = env.path("HOPTRACE_HOME", Path.of("").toAbsolutePath());
    Path data = env.path("HOPTRACE_DATA_DIR", home.resolve(".data")).toAbsolutePath();
    EmbeddedClickHouseConfig embeddedCh = EmbeddedClickHouseConfig.fromEnv(env, data);
    Optional<String> externalCh = ClickHouseSettings.externalUrl(env);
    ClickHouseSettings ch = ClickHouseSettings.fromEnv(env).withUrl(externalCh.orElse(embeddedCh.httpUrl()));
    return new StackConfig(
        home,
        data,
        env.optional("KAFKA_BOOTSTRAP_SERVERS"),
        EmbeddedKafkaConfig.fromEnv(env, data),
        externalCh,
        embeddedCh,
        ch,
        RetentionConfig.fromEnv(env),
        env);
  }

  String kafkaBootstrapServers() {
    return externalKafka.orElse(embeddedKafka.bootstrapServers());
  }

  Path stateFile() {
    return dataDir.resolve("stack.state");
  }

  Path logDir() {
    return dataDir.resolve("logs");
  }
}
