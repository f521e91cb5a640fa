package io.hoptrace.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouseConfig;
import io.hoptrace.process.Ports;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database created by an earlier version is upgraded in place, on a real ClickHouse, without losing a row. */
class SchemaUpgradeTest {
  @TempDir Path dataDir;

  @Test
  void theExponentialHistogramTableIsRenamedWithItsRows() throws Exception {
    try (EmbeddedClickHouse clickhouse = EmbeddedClickHouse.start(EmbeddedClickHouseConfig.forTests(dataDir, Ports.freePort(), Ports.freePort()))) {
      ClickHouseSettings s = new ClickHouseSettings(clickhouse.httpUrl(), "default", "", "upgrade");
      // the schema as the previous release left it: migrations 001-003 applied and recorded, one row in the old table
      sql(s, "CREATE DATABASE upgrade");
      sql(s, "CREATE TABLE upgrade.schema_migrations (version UInt32, name String, checksum String, applied_at DateTime64(3) DEFAULT now64(3))"
          + " ENGINE = ReplacingMergeTree ORDER BY version");
      for (Migration m : Migrations.all().subList(0, 3)) {
        for (String statement : m.statements("upgrade")) {
          sql(s, statement);
        }
        sql(s, "INSERT INTO upgrade.schema_migrations (version, name, checksum) VALUES (" + m.version() + ", '" + m.name() + "', '" + m.checksum() + "')");
      }
      sql(s, "INSERT INTO upgrade.otel_metrics_exp_histogram (ServiceName, MetricName, TimeUnix, Count, Scale) "
          + "VALUES ('old-release', 'latency', now(), 42, 3)");

      SchemaMigrator.Result upgrade = new SchemaMigrator(s, RetentionConfig.DEFAULT).migrate();

      assertThat(upgrade.applied()).containsExactly("004_exponential_histogram_name.sql", "005_least_privilege_writer.sql");
      assertThat(query(s, "SELECT ServiceName, MetricName, Count, Scale FROM upgrade.otel_metrics_exponential_histogram"))
          .containsExactly("old-release latency 42 3");
      assertThat(query(s, "SELECT name FROM system.tables WHERE database = 'upgrade' AND name LIKE 'otel_metrics_exp%'"))
          .containsExactly("otel_metrics_exponential_histogram");
      assertThat(new SchemaMigrator(s, RetentionConfig.DEFAULT).migrate().changedNothing()).isTrue();
    }
  }

  private static void sql(ClickHouseSettings s, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.jdbcProperties()); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static List<String> query(ClickHouseSettings s, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.jdbcProperties()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? " " : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
