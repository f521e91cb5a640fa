package io.hoptrace.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.config.Env;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterDdlTest {
  private static final ClickHouseCluster REPLICATED = new ClickHouseCluster("c1", true);

  @Test
  void emptyMeansSingleNodeAndTheMigrationsUnchanged() {
    ClickHouseCluster none = ClickHouseCluster.fromEnv(Env.of(Map.of()));
    assertThat(none.enabled()).isFalse();
    assertThat(none.onCluster()).isEmpty();
    assertThat(new RetentionPolicy(RetentionConfig.DEFAULT, none).desired()).containsKey("otel_traces");
  }

  @Test
  void aBadClusterNameIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> ClickHouseCluster.fromEnv(Env.of(Map.of("CLICKHOUSE_CLUSTER", "a;DROP"))))
        .hasMessageContaining("CLICKHOUSE_CLUSTER=a;DROP");
  }

  @Test
  void everyTableBecomesAReplicatedLocalTableAndADistributedOneUnderTheExportersName() {
    List<String> out = new ClusterDdl(REPLICATED).rewrite(
        "CREATE TABLE IF NOT EXISTS otel.otel_traces (\n  TraceId String\n) ENGINE = MergeTree\nORDER BY TraceId");
    assertThat(out).containsExactly(
        "CREATE TABLE IF NOT EXISTS otel.otel_traces_local ON CLUSTER c1 (\n  TraceId String\n) ENGINE = "
            + "ReplicatedMergeTree('/clickhouse/tables/{shard}/otel/otel_traces_local', '{replica}')\nORDER BY TraceId",
        "CREATE TABLE IF NOT EXISTS otel.otel_traces ON CLUSTER c1 AS otel.otel_traces_local"
            + " ENGINE = Distributed(c1, otel, otel_traces_local, cityHash64(TraceId))");
  }

  @Test
  void withoutReplicationThereIsNoOnClusterAndThePlainEngine() {
    List<String> out = new ClusterDdl(new ClickHouseCluster("c1", false)).rewrite(
        "CREATE TABLE IF NOT EXISTS otel.otel_logs (\n  Body String\n) ENGINE = MergeTree\nORDER BY Body");
    assertThat(out.get(0)).doesNotContain("ON CLUSTER").contains("ENGINE = MergeTree");
    assertThat(out.get(1)).isEqualTo("CREATE TABLE IF NOT EXISTS otel.otel_logs AS otel.otel_logs_local"
        + " ENGINE = Distributed(c1, otel, otel_logs_local, cityHash64(TraceId, SpanId, ServiceName))");
  }

  @Test
  void theViewReadsAndWritesLocalTablesAndARenameRecreatesTheDistributedTable() {
    ClusterDdl ddl = new ClusterDdl(REPLICATED);
    assertThat(ddl.rewrite("CREATE MATERIALIZED VIEW IF NOT EXISTS otel.mv TO otel.otel_traces_trace_id_ts\nAS SELECT TraceId"
        + "\nFROM otel.otel_traces\nGROUP BY TraceId")).containsExactly("CREATE MATERIALIZED VIEW IF NOT EXISTS otel.mv ON CLUSTER c1"
        + " TO otel.otel_traces_trace_id_ts_local\nAS SELECT TraceId\nFROM otel.otel_traces_local\nGROUP BY TraceId");
    assertThat(ddl.rewrite("RENAME TABLE otel.otel_metrics_a TO otel.otel_metrics_b")).containsExactly(
        "RENAME TABLE otel.otel_metrics_a_local TO otel.otel_metrics_b_local ON CLUSTER c1",
        "DROP TABLE IF EXISTS otel.otel_metrics_a ON CLUSTER c1",
        "CREATE TABLE IF NOT EXISTS otel.otel_metrics_b ON CLUSTER c1 AS otel.otel_metrics_b_local"
            + " ENGINE = Distributed(c1, otel, otel_metrics_b_local, cityHash64(ServiceName, MetricName, Attributes))");
  }

  @Test
  void retentionGoesOnTheLocalTables() {
    assertThat(new RetentionPolicy(RetentionConfig.DEFAULT, REPLICATED).desired())
        .containsKeys("otel_traces_local", "otel_traces_trace_id_ts_local", "otel_logs_local", "otel_metrics_sum_local")
        .doesNotContainKey("otel_traces");
  }

  @Test
  void aStatementOfUnknownShapeIsRefusedRatherThanRunOnOneNode() {
    assertThatThrownBy(() -> new ClusterDdl(REPLICATED).rewrite("INSERT INTO otel.otel_traces VALUES (1)"))
        .hasMessageContaining("no cluster form");
  }
}
