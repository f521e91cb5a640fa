package io.hoptrace.collector.ingester;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.schema.ClickHouseCluster;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.collector.buffer.TelemetryTopics;
import io.hoptrace.collector.ingester.dedup.DedupConfig;
import io.hoptrace.config.Env;
import java.time.Duration;

/**
 * Settings of the ingester role (Kafka → ClickHouse).
 *
 * @param kafkaBootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS} (127.0.0.1:9092)
 * @param topics topic per signal ({@code COLLECTOR_TOPIC_SPANS|METRICS|LOGS})
 * @param groupPrefix consumer groups are {@code <prefix>-<signal>} ({@code COLLECTOR_GROUP_PREFIX}, hoptrace-ingester)
 * @param batchRows rows per insert at most ({@code COLLECTOR_BATCH_ROWS}, 20000)
 * @param batchBytes bytes of Kafka record values per insert at most ({@code COLLECTOR_BATCH_BYTES}, 8 MiB: about
 *     18,000 of the services' spans, ~460 bytes each in Kafka with their resource; larger spans are cut sooner,
 *     which bounds what a partition holds whatever the spans' size)
 * @param batchDelay longest a row waits for its batch to fill ({@code COLLECTOR_BATCH_DELAY}, 500ms: a trace queryable within a
 *     second of its last export at idle; under load batches fill by size first)
 * @param workers threads converting and inserting batches ({@code COLLECTOR_INGEST_WORKERS}, 2)
 * @param retryInitial first retry delay after a failed insert ({@code COLLECTOR_RETRY_INITIAL_BACKOFF}, 500ms)
 * @param retryMax longest retry delay ({@code COLLECTOR_RETRY_MAX_BACKOFF}, 30s); retries never stop
 * @param sessionTimeout how soon a crashed ingester's partitions go to another ({@code COLLECTOR_KAFKA_SESSION_TIMEOUT}, 10s)
 * @param insertTimeout socket timeout of one insert ({@code COLLECTOR_INSERT_TIMEOUT}, 60s)
 * @param clickHouse where and as whom rows are inserted: {@code CLICKHOUSE_URL}, {@code _DATABASE},
 *     {@code _TLS_CA_FILE}, and {@code CLICKHOUSE_INGEST_USER} / {@code _PASSWORD} (else {@code CLICKHOUSE_USER} / {@code _PASSWORD})
 * @param schemaClickHouse as whom the migrations run: {@code CLICKHOUSE_USER} / {@code _PASSWORD}
 * @param migrate apply the schema migrations at start ({@code COLLECTOR_MIGRATE}, true)
 * @param retention TTLs the migration step applies ({@code CLICKHOUSE_TTL_*})
 * @param dedup the span de-duplication window ({@code COLLECTOR_DEDUP_WINDOW_*}, docs/adr/009)
 * @param cluster single node, or the ClickHouse cluster the migrations lay out ({@code CLICKHOUSE_CLUSTER}, {@code _REPLICATED})
 * @param signals the signals whose topics this ingester consumes ({@code --signals} or {@code COLLECTOR_SIGNALS}, all three)
 */
public record IngesterConfig(
    String kafkaBootstrapServers,
    TelemetryTopics topics,
    String groupPrefix,
    int batchRows,
    long batchBytes,
    Duration batchDelay,
    int workers,
    Duration retryInitial,
    Duration retryMax,
    Duration sessionTimeout,
    Duration insertTimeout,
    ClickHouseSettings clickHouse,
    ClickHouseSettings schemaClickHouse,
    boolean migrate,
    RetentionConfig retention,
    DedupConfig dedup,
    ClickHouseCluster cluster,
    java.util.Set<Signal> signals) {

  public IngesterConfig {
    signals = java.util.Set.copyOf(signals);
  }

  public static IngesterConfig fromEnv(Env env) {
    return new IngesterConfig(
        env.string("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        TelemetryTopics.fromEnv(env),
        env.string("COLLECTOR_GROUP_PREFIX", "hoptrace-ingester"),
        env.integer("COLLECTOR_BATCH_ROWS", 20_000, 1, 1_000_000),
        env.longValue("COLLECTOR_BATCH_BYTES", 8L << 20, 64L << 10, 256L << 20),
        env.duration("COLLECTOR_BATCH_DELAY", Duration.ofMillis(500)),
        env.integer("COLLECTOR_INGEST_WORKERS", 2, 1, 64),
        env.duration("COLLECTOR_RETRY_INITIAL_BACKOFF", Duration.ofMillis(500)),
        env.duration("COLLECTOR_RETRY_MAX_BACKOFF", Duration.ofSeconds(30)),
        env.duration("COLLECTOR_KAFKA_SESSION_TIMEOUT", Duration.ofSeconds(10)),
        env.duration("COLLECTOR_INSERT_TIMEOUT", Duration.ofSeconds(60)),
        ClickHouseSettings.fromEnv(env, ClickHouseSettings.Purpose.INGEST),
        ClickHouseSettings.fromEnv(env),
        env.bool("COLLECTOR_MIGRATE", true),
        RetentionConfig.fromEnv(env),
        DedupConfig.fromEnv(env),
        ClickHouseCluster.fromEnv(env),
        TelemetryTopics.signalsFromEnv(env));
  }

  /** The same ingester consuming only the topics of {@code consumed}. */
  public IngesterConfig withSignals(java.util.Set<Signal> consumed) {
    return new IngesterConfig(kafkaBootstrapServers, topics, groupPrefix, batchRows, batchBytes, batchDelay, workers, retryInitial, retryMax,
        sessionTimeout, insertTimeout, clickHouse, schemaClickHouse, migrate, retention, dedup, cluster, consumed);
  }

  public String topic(Signal signal) {
    return topics.topic(signal);
  }

  public String group(Signal signal) {
    return groupPrefix + "-" + signal.label();
  }
}
