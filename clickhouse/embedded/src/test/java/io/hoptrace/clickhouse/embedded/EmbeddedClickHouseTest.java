package io.hoptrace.clickhouse.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.hoptrace.clickhouse.ClickHouseSettings;

import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouseConfig;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.clickhouse.schema.RetentionPolicy;
import io.hoptrace.clickhouse.schema.RetentionPolicyProbe;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import io.hoptrace.process.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded ClickHouse is a real server, and the migrations build exactly the contract schema in it. */
class EmbeddedClickHouseTest {
  static final List<String> TABLES = List.of("otel_traces", "otel_traces_trace_id_ts", "otel_logs", "otel_metrics_gauge",
      "otel_metrics_sum", "otel_metrics_histogram", "otel_metrics_exponential_histogram", "otel_metrics_summary");

  @TempDir static Path dataDir;
  static EmbeddedClickHouse clickhouse;

  @BeforeAll
  static void start() {
    clickhouse = EmbeddedClickHouse.start(EmbeddedClickHouseConfig.forTests(dataDir, Ports.freePort(), Ports.freePort()));
  }

  @AfterAll
  static void stop() {
    if (clickhouse != null) {
      clickhouse.stop();
    }
  }

  static ClickHouseSettings settings(String database) {
    return new ClickHouseSettings(clickhouse.httpUrl(), "default", "", database);
  }

  @Test
  void migrationCreatesEveryContractTableAndASecondRunChangesNothing() throws SQLException {
    ClickHouseSettings s = settings("migrate_twice");
    SchemaMigrator.Result first = new SchemaMigrator(s, RetentionConfig.DEFAULT).migrate();
    SchemaMigrator.Result second = new SchemaMigrator(s, RetentionConfig.DEFAULT).migrate();

    assertThat(first.applied()).containsExactly("001_traces.sql", "002_logs.sql", "003_metrics.sql", "004_exponential_histogram_name.sql",
        "005_least_privilege_writer.sql");
    assertThat(second.changedNothing()).as("second run: %s", second).isTrue();
    assertThat(second.alreadyApplied()).hasSize(5);
    assertThat(tables(s)).containsAll(TABLES).contains("otel_traces_trace_id_ts_mv");
  }

  @Test
  void schemaMatchesTheContractColumnForColumn() throws Exception {
    ClickHouseSettings s = settings("contract");
    new SchemaMigrator(s, RetentionConfig.DEFAULT).migrate();
    List<String> expected = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("/io/hoptrace/clickhouse/expected-columns.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          expected.add(line.strip());
        }
      }
    }
    List<String> actual = new ArrayList<>();
    try (Connection c = connect(s);
        PreparedStatement ps = c.prepareStatement(
            "SELECT table, name, type FROM system.columns WHERE database = ? AND table IN (" + "?,".repeat(TABLES.size() - 1)
                + "?) ORDER BY table, position")) {
      ps.setString(1, s.database());
      for (int i = 0; i < TABLES.size(); i++) {
        ps.setString(i + 2, TABLES.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          actual.add(rs.getString(1) + "\t" + rs.getString(2) + "\t" + rs.getString(3));
        }
      }
    }
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(new TreeSet<>(actual)).isEqualTo(new TreeSet<>(expected));
  }

  @Test
  void everyTableAcceptsARowThroughJdbcAndKeepsItAcrossARestart() throws Exception {
    ClickHouseSettings s = settings("restart");
    new SchemaMigrator(s, RetentionConfig.DEFAULT).migrate();
    try (Connection c = connect(s)) {
      for (String table : TABLES) {
        if (table.equals("otel_traces_trace_id_ts")) {
          continue; // filled by the materialized view from otel_traces
        }
        // a current timestamp: a row from 1970 would already be past its TTL
        String cols = table.equals("otel_traces") || table.equals("otel_logs")
            ? "(ServiceName, TraceId, Timestamp) VALUES (?, ?, now64(9))"
            : "(ServiceName, MetricName, TimeUnix) VALUES (?, ?, now())";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s.database() + "." + table + " " + cols)) {
          ps.setString(1, "contract-test");
          ps.setString(2, "5b8efff798038103d269b633813fc60c");
          ps.executeUpdate();
        }
      }
    }
    assertEveryTableHasOneRow(s);

    clickhouse.restart();

    assertEveryTableHasOneRow(s);
    assertThat(new SchemaMigrator(s, RetentionConfig.DEFAULT).migrate().changedNothing()).isTrue();
  }

  @Test
  void retentionIsAppliedOnceAndFollowsTheConfig() throws SQLException {
    ClickHouseSettings s = settings("retention");
    new SchemaMigrator(s, RetentionConfig.DEFAULT).migrate();
    try (Connection c = connect(s)) {
      List<RetentionPolicy.TableTtl> inForce = new RetentionPolicy(RetentionConfig.DEFAULT).describe(c, s.database());
      assertThat(inForce).allMatch(RetentionPolicy.TableTtl::inForce);
      RetentionPolicy.TableTtl logs = inForce.stream().filter(t -> t.table().equals("otel_logs")).findFirst().orElseThrow();
      assertThat(logs.actual()).contains("toIntervalDay(30)").contains("toIntervalDay(60)").contains("toIntervalDay(90)");

      RetentionConfig shorter = new RetentionConfig(7, 14, 1, 2, 3);
      assertThat(new RetentionPolicy(shorter).apply(c, s.database())).hasSize(TABLES.size());
      assertThat(new RetentionPolicy(shorter).apply(c, s.database())).isEmpty();
      assertThat(RetentionPolicyProbe.ttl(c, s.database(), "otel_traces")).contains("toIntervalDay(7)");

      RetentionConfig forever = new RetentionConfig(0, 14, 1, 2, 3);
      assertThat(new RetentionPolicy(forever).apply(c, s.database())).containsExactlyInAnyOrder("otel_traces", "otel_traces_trace_id_ts");
      assertThat(RetentionPolicyProbe.ttl(c, s.database(), "otel_traces")).isNull();
    }
  }

  @Test
  void unreachableServerGivesAnErrorNamingIt() {
    int closedPort = Ports.freePort();
    ClickHouseSettings s = new ClickHouseSettings("http://127.0.0.1:" + closedPort, "default", "", "otel");
    assertThatThrownBy(() -> new SchemaMigrator(s, RetentionConfig.DEFAULT).migrate())
        .isInstanceOf(SchemaMigrator.SchemaException.class)
        .hasMessageContaining("http://127.0.0.1:" + closedPort)
        .hasMessageContaining("Is ClickHouse reachable");
  }

  @Test
  void portInUseNamesTheHolder() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> EmbeddedClickHouse.start(EmbeddedClickHouseConfig.forTests(dataDir.resolve("other"), port, Ports.freePort())))
          .hasMessageContaining("port " + port + " (ClickHouse HTTP) is already in use by pid " + ProcessHandle.current().pid())
          .hasMessageContaining("HOPTRACE_CLICKHOUSE_HTTP_PORT");
    }
  }

  private static void assertEveryTableHasOneRow(ClickHouseSettings s) throws SQLException {
    try (Connection c = connect(s); Statement st = c.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet rs = st.executeQuery("SELECT count() FROM " + s.database() + "." + table)) {
          rs.next();
          assertThat(rs.getLong(1)).as(table).isEqualTo(1);
        }
      }
    }
  }

  private static Set<String> tables(ClickHouseSettings s) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (Connection c = connect(s); PreparedStatement ps = c.prepareStatement("SELECT name FROM system.tables WHERE database = ?")) {
      ps.setString(1, s.database());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  static Connection connect(ClickHouseSettings s) throws SQLException {
    return DriverManager.getConnection(s.jdbcUrl(), s.jdbcProperties());
  }
}
