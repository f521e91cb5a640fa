package io.hoptrace.collector.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouseConfig;
import io.hoptrace.clickhouse.schema.ClickHouseCluster;
import io.hoptrace.clickhouse.schema.Migration;
import io.hoptrace.clickhouse.schema.Migrations;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import io.hoptrace.collector.Http;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.ingester.InsertError;
import io.hoptrace.collector.ingester.clickhouse.ClickHouseWriter;
import io.hoptrace.collector.ingester.rows.RowBatch;
import io.hoptrace.collector.ingester.rows.SpanRows;
import io.hoptrace.collector.ingester.rows.Table;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.process.Ports;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ClickHouse cluster mode against two real engines, configured as the two shards of one cluster by a
 * {@code remote_servers} configuration. The embedded engine has no Keeper and refuses {@code ON
 * CLUSTER} ("Replicated DDL queries are disabled"), so the pipeline runs the plain-MergeTree form
 * (CLICKHOUSE_CLUSTER_REPLICATED=false, the migrations applied to each node); the replicated form's
 * statements are checked by the engine's own parser.
 */
@ExtendWith(RealInfrastructure.class)
class ClickHouseClusterTest {
  private static final String CLUSTER = "hoptrace_shards";
  private static final String DB = "otel";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static EmbeddedClickHouse shard1;
  private static EmbeddedClickHouse shard2;

  @BeforeAll
  static void startTwoShards() throws IOException {
    int http1 = Ports.freePort();
    int tcp1 = Ports.freePort();
    int http2 = Ports.freePort();
    int tcp2 = Ports.freePort();
    Path dir = Infrastructure.newDataDir("clickhouse-cluster");
    Path config = dir.resolve("remote-servers.xml");
    Files.writeString(config, "<clickhouse>\n  <remote_servers>\n    <" + CLUSTER + ">\n"
        + "      <shard><replica><host>127.0.0.1</host><port>" + tcp1 + "</port></replica></shard>\n"
        + "      <shard><replica><host>127.0.0.1</host><port>" + tcp2 + "</port></replica></shard>\n"
        + "    </" + CLUSTER + ">\n  </remote_servers>\n</clickhouse>\n");
    shard1 = EmbeddedClickHouse.start(EmbeddedClickHouseConfig.forTests(dir.resolve("shard1"), http1, tcp1).withServerConfig(config, Map.of()));
    shard2 = EmbeddedClickHouse.start(EmbeddedClickHouseConfig.forTests(dir.resolve("shard2"), http2, tcp2).withServerConfig(config, Map.of()));
  }

  @AfterAll
  static void stopShards() {
    if (shard1 != null) {
      shard1.close();
    }
    if (shard2 != null) {
      shard2.close();
    }
  }

  @Test
  void spansIngestedIntoTheDistributedTableLandOnBothShardsAndTheExplorerReadsATraceBack(Infrastructure infra) throws Exception {
    assertThat(query(shard1, "SELECT count() FROM system.clusters WHERE cluster = '" + CLUSTER + "'"))
        .as("the engine took the remote_servers configuration").isEqualTo("2");
    ClickHouseCluster cluster = new ClickHouseCluster(CLUSTER, false);
    // without ON CLUSTER the schema goes to each node; the real ingester applies it to shard 1 itself at start
    new SchemaMigrator(settings(shard2), RetentionConfig.DEFAULT, cluster).migrate();

    int queryPort = Ports.freePort();
    try (TestCollector c = new TestCollector(infra.kafkaBootstrapServers(), settings(shard1), "cluster")
        .with("CLICKHOUSE_CLUSTER", CLUSTER).with("CLICKHOUSE_CLUSTER_REPLICATED", "false")
        .with("COLLECTOR_ROLES", "receiver,ingester,query").with("COLLECTOR_QUERY_PORT", Integer.toString(queryPort))) {
      c.createTopics();
      c.start();
      int traces = 40;
      int spansPerTrace = 3;
      ExportTraceServiceRequest request = Otlp.traces("sharded", 77, traces, spansPerTrace);
      assertThat(Http.post(c.httpUrl() + "/v1/traces", request.toByteArray()).statusCode()).isEqualTo(200);

      long spans = traces * spansPerTrace;
      c.await("SELECT count() FROM otel_traces WHERE ServiceName = 'sharded'", spans, Duration.ofSeconds(90));
      long onShard1 = Long.parseLong(query(shard1, "SELECT count() FROM otel.otel_traces_local WHERE ServiceName = 'sharded'"));
      long onShard2 = Long.parseLong(query(shard2, "SELECT count() FROM otel.otel_traces_local WHERE ServiceName = 'sharded'"));
      assertThat(onShard1).as("spans stored on shard 1").isPositive();
      assertThat(onShard2).as("spans stored on shard 2").isPositive();
      assertThat(onShard1 + onShard2).as("each span on exactly one shard").isEqualTo(spans);
      assertThat(query(shard2, "SELECT uniqExact(TraceId, SpanId) FROM otel.otel_traces WHERE ServiceName = 'sharded'"))
          .as("the Distributed table answers on either node").isEqualTo(Long.toString(spans));
      assertThat(query(shard1, "SELECT max(shards) FROM (SELECT TraceId, uniqExact(_shard_num) AS shards FROM otel.otel_traces"
          + " WHERE ServiceName = 'sharded' GROUP BY TraceId)")).as("a trace lives on one shard (sharded by TraceId)").isEqualTo("1");

      // the explorer's trace-by-id read, through the Distributed span table and trace-id lookup
      String traceId = HexFormat.of().formatHex(Otlp.traceId(77, 1).toByteArray());
      String shardOfTrace = query(shard1, "SELECT any(_shard_num) FROM otel.otel_traces WHERE TraceId = '" + traceId + "'");
      c.await("SELECT count() FROM otel_traces_trace_id_ts WHERE TraceId = '" + traceId + "'", 1, Duration.ofSeconds(30));
      HttpResponse<String> trace = Http.get("http://127.0.0.1:" + queryPort + "/api/traces/" + traceId);
      assertThat(trace.statusCode()).as(trace.body()).isEqualTo(200);
      JsonObject body = new JsonObject(trace.body());
      assertThat(body.getInteger("spanCount")).isEqualTo(spansPerTrace);
      assertThat(body.getJsonArray("services").getString(0)).isEqualTo("sharded");
      assertThat(shardOfTrace).isIn("1", "2");

      // retention is on the tables that store rows, not on the Distributed ones
      for (EmbeddedClickHouse shard : List.of(shard1, shard2)) {
        assertThat(query(shard, "SELECT engine_full FROM system.tables WHERE database = 'otel' AND name = 'otel_traces_local'"))
            .contains("TTL toDateTime(Timestamp) + toIntervalDay(30)");
        assertThat(query(shard, "SELECT engine FROM system.tables WHERE database = 'otel' AND name = 'otel_traces'")).isEqualTo("Distributed");
      }
    }
  }

  @Test
  void theOneWritersRepeatedInsertIntoTheDistributedTableAddsNothingOnEitherShard() throws Exception {
    ClickHouseCluster cluster = new ClickHouseCluster(CLUSTER, false);
    new SchemaMigrator(settings(shard1), RetentionConfig.DEFAULT, cluster).migrate();
    new SchemaMigrator(settings(shard2), RetentionConfig.DEFAULT, cluster).migrate();
    ExportTraceServiceRequest request = Otlp.traces("dedup", 78, 30, 2);
    RowBatch batch = new RowBatch();
    new SpanRows().convert(request.toByteArray(), batch);
    long time = request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getStartTimeUnixNano();
    try (ClickHouseWriter writer = new ClickHouseWriter(settings(shard1), Duration.ofSeconds(30))) {
      String token = "test/0/0-0/otel_traces/" + Math.floorDiv(time, 86_400_000_000_000L);
      writer.insert(Table.TRACES, batch.rows(Table.TRACES, time), token);
      // foreground insert: the rows are on the shards when insert returns, no polling needed
      assertThat(query(shard1, "SELECT count() FROM otel.otel_traces WHERE ServiceName = 'dedup'")).isEqualTo("60");
      writer.insert(Table.TRACES, batch.rows(Table.TRACES, time), token);
    }
    assertThat(query(shard1, "SELECT count() FROM otel.otel_traces_local WHERE ServiceName = 'dedup'")).isNotEqualTo("0");
    assertThat(query(shard2, "SELECT count() FROM otel.otel_traces_local WHERE ServiceName = 'dedup'")).isNotEqualTo("0");
    assertThat(query(shard2, "SELECT count() FROM otel.otel_traces WHERE ServiceName = 'dedup'"))
        .as("the repeat with the same token was dropped by each shard").isEqualTo("60");
    assertThat(query(shard2, "SELECT count() FROM otel.otel_traces_trace_id_ts_local t"
        + " WHERE TraceId IN (SELECT TraceId FROM otel.otel_traces_local WHERE ServiceName = 'dedup')"))
        .as("the trace-id view on the shard deduplicated too").isEqualTo(query(shard2,
            "SELECT uniqExact(TraceId) FROM otel.otel_traces_local WHERE ServiceName = 'dedup'"));
  }

  @Test
  void aBatchRetriedWithItsTokenAfterAShardFailedStoresEverySpanOnce() throws Exception {
    ClickHouseCluster cluster = new ClickHouseCluster(CLUSTER, false);
    new SchemaMigrator(settings(shard1), RetentionConfig.DEFAULT, cluster).migrate();
    new SchemaMigrator(settings(shard2), RetentionConfig.DEFAULT, cluster).migrate();
    ExportTraceServiceRequest request = Otlp.traces("partial", 79, 30, 2);
    RowBatch batch = new RowBatch();
    new SpanRows().convert(request.toByteArray(), batch);
    long time = request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getStartTimeUnixNano();
    String token = "test/0/5-5/otel_traces/" + Math.floorDiv(time, 86_400_000_000_000L);
    try (ClickHouseWriter writer = new ClickHouseWriter(settings(shard1), Duration.ofSeconds(30))) {
      // shard 2 fails its part (its table is away). This engine then stores nothing on shard 1 either (seen
      // here, whichever shard fails): a half-written batch could not be made, so that case rests on ADR 014
      query(shard2, "RENAME TABLE otel.otel_traces_local TO otel.otel_traces_local_away");
      try {
        assertThatThrownBy(() -> writer.insert(Table.TRACES, batch.rows(Table.TRACES, time), token))
            .as("a foreground insert fails when a shard fails").isNotNull();
      } finally {
        query(shard2, "RENAME TABLE otel.otel_traces_local_away TO otel.otel_traces_local");
      }
      // a successor re-forms the same batch and sends it with the same token (docs/adr/004)
      writer.insert(Table.TRACES, batch.rows(Table.TRACES, time), token);
    }
    assertThat(query(shard1, "SELECT count(), uniqExact(TraceId, SpanId) FROM otel.otel_traces WHERE ServiceName = 'partial'"))
        .as("every span once, on both shards").isEqualTo("60\t60");
    assertThat(query(shard1, "SELECT count() FROM otel.otel_traces_local WHERE ServiceName = 'partial'")).isNotEqualTo("0");
    assertThat(query(shard2, "SELECT count() FROM otel.otel_traces_local WHERE ServiceName = 'partial'")).isNotEqualTo("0");
  }

  @Test
  void aShardThatIsDownFailsTheInsertAsARetryableErrorNeverAsRefusedRows() throws Exception {
    ClickHouseCluster cluster = new ClickHouseCluster(CLUSTER, false);
    new SchemaMigrator(settings(shard1), RetentionConfig.DEFAULT, cluster).migrate();
    new SchemaMigrator(settings(shard2), RetentionConfig.DEFAULT, cluster).migrate();
    ExportTraceServiceRequest request = Otlp.traces("down", 80, 20, 2);
    RowBatch batch = new RowBatch();
    new SpanRows().convert(request.toByteArray(), batch);
    long time = request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getStartTimeUnixNano();
    try (ClickHouseWriter writer = new ClickHouseWriter(settings(shard1), Duration.ofSeconds(30))) {
      shard2.stop();
      Throwable failure;
      try {
        failure = org.assertj.core.api.Assertions.catchThrowable(() -> writer.insert(Table.TRACES, batch.rows(Table.TRACES, time), "down"));
      } finally {
        shard2.restart();
      }
      assertThat(failure).as("a foreground insert fails while a shard is down").isNotNull();
      InsertError error = InsertError.classify(failure);
      // PERMANENT would bisect the batch and dead-letter rows that are fine
      assertThat(error.kind()).as(error.toString()).isNotEqualTo(InsertError.Kind.PERMANENT);
      writer.insert(Table.TRACES, batch.rows(Table.TRACES, time), "down");
    }
    assertThat(query(shard2, "SELECT count() FROM otel.otel_traces WHERE ServiceName = 'down'")).isEqualTo("40");
  }

  @Test
  void theReplicatedOnClusterFormOfEveryMigrationParses() throws Exception {
    ClickHouseCluster replicated = new ClickHouseCluster(CLUSTER, true);
    SchemaMigrator migrator = new SchemaMigrator(settings(shard1), RetentionConfig.DEFAULT, replicated);
    int checked = 0;
    for (Migration m : Migrations.all()) {
      for (String statement : migrator.statements(m)) {
        assertThat(statement).contains(" ON CLUSTER " + CLUSTER);
        // the engine's own parser: a syntax error in the cluster form fails here
        String formatted = query(shard1, "SELECT formatQuery('" + statement.replace("\\", "\\\\").replace("'", "\\'") + "')");
        assertThat(formatted).as(statement).contains("ON CLUSTER " + CLUSTER);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(20);
    // what this engine cannot do, stated by the engine itself (no Keeper, no distributed DDL queue)
    assertThat(queryError(shard1, "CREATE DATABASE IF NOT EXISTS otel_replicated ON CLUSTER " + CLUSTER))
        .contains("Replicated DDL queries are disabled");
  }

  private static ClickHouseSettings settings(EmbeddedClickHouse shard) {
    return new ClickHouseSettings(shard.httpUrl(), "default", "", DB);
  }

  private static String query(EmbeddedClickHouse shard, String sql) {
    HttpResponse<String> r = send(shard, sql);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("ClickHouse " + shard.httpUrl() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().strip();
  }

  private static String queryError(EmbeddedClickHouse shard, String sql) {
    HttpResponse<String> r = send(shard, sql);
    assertThat(r.statusCode()).as("expected an error from: " + sql).isNotEqualTo(200);
    return r.body();
  }

  private static HttpResponse<String> send(EmbeddedClickHouse shard, String sql) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(shard.httpUrl() + "/?database=" + URLEncoder.encode("default", StandardCharsets.UTF_8)))
          .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
