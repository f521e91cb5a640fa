package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import io.hoptrace.collector.Http;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.ingester.clickhouse.ClickHouseWriter;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.collector.query.clickhouse.ClickHouseHttp;
import io.hoptrace.process.Poll;
import io.hoptrace.process.Ports;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.hoptrace.testsupport.SecuredClickHouse;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClickHouse as the Docker deployment runs it: HTTPS with a private CA's certificate, passwords, and
 * least privilege (the repository's users file). The migrations (JDBC) run as the admin, the ingester
 * (client-v2) inserts as a user that cannot read, the explorer (Vert.x web client) reads as a user
 * that cannot write; every client checks the server's certificate.
 */
@ExtendWith(RealInfrastructure.class)
class SecuredClickHouseTest {
  static final String DB = "otel"; // the database the users file grants on
  @TempDir static Path dir;
  static SecuredClickHouse clickhouse;
  static Vertx vertx;

  @BeforeAll
  static void start() {
    clickhouse = SecuredClickHouse.start(dir);
    SchemaMigrator.Result r = new SchemaMigrator(clickhouse.settings(SecuredClickHouse.ADMIN, DB), RetentionConfig.DEFAULT).migrate();
    assertThat(r.applied()).as("migrations applied over TLS as the admin").isNotEmpty();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
    if (clickhouse != null) {
      clickhouse.close();
    }
  }

  @Test
  void theCollectorIngestsAsTheWriterAndTheExplorerReadsAsTheReaderOverTls(Infrastructure infra) throws Exception {
    int queryPort = Ports.freePort();
    TestCollector c = new TestCollector(infra.kafkaBootstrapServers(), clickhouse.settings(SecuredClickHouse.WRITER, DB), "secured");
    c.env.putAll(clickhouse.collectorEnv(DB));
    c.with("COLLECTOR_ROLES", "receiver,ingester,query").with("COLLECTOR_QUERY_PORT", String.valueOf(queryPort));
    try (c) {
      c.start();
      assertThat(Http.post(c.httpUrl() + "/v1/traces", Otlp.traces("secured", 7, 3, 4).toByteArray()).statusCode()).isEqualTo(200);
      assertThat(Http.post(c.httpUrl() + "/v1/logs", Otlp.logs("secured", 5, Otlp.traceId(7, 1)).toByteArray()).statusCode()).isEqualTo(200);
      assertThat(Http.post(c.httpUrl() + "/v1/metrics", Otlp.allMetricTypes("secured").toByteArray()).statusCode()).isEqualTo(200);
      // the trace-id lookup is filled by a materialized view, after the spans themselves: poll both
      Poll.until("12 spans, their 3 trace ids, 5 log lines and the metrics stored", Duration.ofSeconds(60), Duration.ofMillis(300),
          () -> adminCount("otel_traces") == 12 && adminCount("otel_traces_trace_id_ts") == 3 && adminCount("otel_logs") == 5
              && adminCount("otel_metrics_summary") == 1);

      // the explorer reads the trace back through ClickHouse over TLS as the reader
      String traceId = "00000000000000070000000000000001";
      HttpResponse<String> trace = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + queryPort + "/api/traces/" + traceId)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(trace.statusCode()).as(trace.body()).isEqualTo(200);
      assertThat(trace.body()).contains(traceId).contains("secured");

      // a replay goes through the writer's scratch tables and identity views: nothing is added twice
      ReplayTest.replay(c, c.topic(Signal.TRACES), c.env.get("COLLECTOR_GROUP_PREFIX") + "-" + Signal.TRACES.label());
      assertThat(adminCount("otel_traces")).isEqualTo(12);
    }
  }

  @Test
  void theWriterCannotReadOrDropAndTheReaderCannotWrite() throws Exception {
    ClickHouseSettings writer = clickhouse.settings(SecuredClickHouse.WRITER, DB);
    ClickHouseSettings reader = clickhouse.settings(SecuredClickHouse.READER, DB);
    for (String sql : List.of("SELECT * FROM otel.otel_traces", "SELECT count() FROM otel.otel_logs",
        "SELECT Body FROM otel.otel_logs", "DROP TABLE otel.otel_traces", "TRUNCATE TABLE otel.otel_metrics_sum",
        "ALTER TABLE otel.otel_traces DELETE WHERE 1", "CREATE TABLE otel.elsewhere (a Int32) ENGINE = Memory",
        "CREATE USER intruder", "SELECT * FROM otel.schema_migrations")) {
      assertThatThrownBy(() -> execute(writer, sql)).as("writer: " + sql).hasMessageContaining("ACCESS_DENIED");
    }
    for (String sql : List.of("INSERT INTO otel.otel_traces (TraceId, SpanId) VALUES ('t', 's')",
        "DROP TABLE otel.otel_logs", "TRUNCATE TABLE otel.otel_traces", "ALTER TABLE otel.otel_traces DELETE WHERE 1",
        "CREATE TABLE otel.elsewhere (a Int32) ENGINE = Memory", "CREATE USER intruder")) {
      assertThatThrownBy(() -> execute(reader, sql)).as("reader: " + sql).hasMessageContaining("ACCESS_DENIED");
    }
    // what each may do, it can
    execute(writer, "INSERT INTO otel.otel_metrics_gauge (ServiceName, MetricName, TimeUnix) VALUES ('probe', 'allowed', now())");
    execute(reader, "SELECT count() FROM otel.otel_traces");

    // the explorer's own client cannot read as the writer, and can as the reader
    ClickHouseHttp asWriter = new ClickHouseHttp(vertx, writer, Duration.ofSeconds(10));
    assertThatThrownBy(() -> asWriter.select("SELECT TraceId FROM otel_traces LIMIT 1", Map.of()).toCompletionStage()
        .toCompletableFuture().get(20, TimeUnit.SECONDS)).hasMessageContaining("ACCESS_DENIED");
    ClickHouseHttp asReader = new ClickHouseHttp(vertx, reader, Duration.ofSeconds(10));
    assertThat(asReader.select("SELECT 1 AS one FROM otel_traces LIMIT 1", Map.of()).toCompletionStage()
        .toCompletableFuture().get(20, TimeUnit.SECONDS)).isNotNull();
    try (ClickHouseWriter w = new ClickHouseWriter(writer, Duration.ofSeconds(10))) {
      assertThat(w.ping()).as("client-v2 reaches ClickHouse over TLS").isTrue();
    }
  }

  @Test
  void noClientTrustsTheServerWithoutItsCaAndNoneGetsInWithoutAPassword() throws Exception {
    ClickHouseSettings untrusting = new ClickHouseSettings(clickhouse.httpsUrl(), SecuredClickHouse.ADMIN,
        clickhouse.password(SecuredClickHouse.ADMIN), DB);
    assertThatThrownBy(() -> execute(untrusting, "SELECT 1")).as("JDBC without the CA").isNotNull();
    try (ClickHouseWriter w = new ClickHouseWriter(untrusting, Duration.ofSeconds(5))) {
      assertThat(w.ping()).as("client-v2 without the CA").isFalse();
    }
    assertThatThrownBy(() -> new ClickHouseHttp(vertx, untrusting, Duration.ofSeconds(5)).select("SELECT 1", Map.of())
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS)).as("Vert.x without the CA").isNotNull();
    // with the CA, the same settings work: it is the certificate check that failed above
    execute(untrusting.withTlsCaFile(clickhouse.caFile()), "SELECT 1");

    ClickHouseSettings wrongPassword = clickhouse.settings(SecuredClickHouse.READER, DB).withUser(SecuredClickHouse.READER, "wrong");
    assertThatThrownBy(() -> execute(wrongPassword, "SELECT 1")).hasMessageContaining("AUTHENTICATION_FAILED");
    // the engine's passwordless default user (its own session) reads nothing
    ClickHouseSettings anonymous = clickhouse.settings(SecuredClickHouse.READER, DB).withUser("default", "");
    assertThatThrownBy(() -> execute(anonymous, "SELECT count() FROM otel.otel_traces")).hasMessageContaining("ACCESS_DENIED");
  }

  static long adminCount(String table) throws Exception {
    try (Connection c = connect(clickhouse.settings(SecuredClickHouse.ADMIN, DB)); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count() FROM " + DB + "." + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void execute(ClickHouseSettings s, String sql) throws Exception {
    try (Connection c = connect(s); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static Connection connect(ClickHouseSettings s) throws Exception {
    return DriverManager.getConnection(s.jdbcUrl(), s.jdbcProperties());
  }
}
