package io.hoptrace.clickhouse.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link RetentionConfig} as table TTLs with {@code ALTER TABLE ... MODIFY TTL}, only where the
 * TTL in force differs, so applying the same config twice changes nothing.
 */
public final class RetentionPolicy {
  /** A table's TTL as configured ({@code desired}) and as in force in ClickHouse ({@code actual}); null = none. */
  public record TableTtl(String table, String desired, String actual) {
    public boolean inForce() {
      return normalize(desired).equals(normalize(actual));
    }
  }

  private final RetentionConfig config;
  private final ClickHouseCluster cluster;

  public RetentionPolicy(RetentionConfig config) {
    this(config, ClickHouseCluster.SINGLE_NODE);
  }

  /** In cluster mode the TTLs go on the local tables (where rows are stored and merged), {@code ON CLUSTER} when replicated. */
  public RetentionPolicy(RetentionConfig config, ClickHouseCluster cluster) {
    this.config = config;
    this.cluster = cluster;
  }

  /** The TTL expression per table that stores rows; null keeps data forever. */
  public Map<String, String> desired() {
    Map<String, String> m = new LinkedHashMap<>();
    for (var e : exporterTables().entrySet()) {
      m.put(cluster.localTable(e.getKey()), e.getValue());
    }
    return m;
  }

  private Map<String, String> exporterTables() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("otel_traces", days("toDateTime(Timestamp)", config.tracesDays()));
    m.put("otel_traces_trace_id_ts", days("toDateTime(Start)", config.tracesDays()));
    m.put("otel_logs", logs());
    for (String t : List.of("otel_metrics_gauge", "otel_metrics_sum", "otel_metrics_histogram",
        "otel_metrics_exponential_histogram", "otel_metrics_summary")) {
      m.put(t, days("TimeUnix", config.metricsDays()));
    }
    return m;
  }

  /** What is configured next to what ClickHouse has in force, per table. */
  public List<TableTtl> describe(Connection c, String database) throws SQLException {
    List<TableTtl> out = new ArrayList<>();
    for (var e : desired().entrySet()) {
      out.add(new TableTtl(e.getKey(), e.getValue(), currentTtl(c, database, e.getKey())));
    }
    return out;
  }

  /** Brings every table's TTL in line with the config; returns the tables it changed. */
  public List<String> apply(Connection c, String database) throws SQLException {
    List<String> changed = new ArrayList<>();
    for (TableTtl t : describe(c, database)) {
      if (t.inForce()) {
        continue;
      }
      String sql = "ALTER TABLE " + database + "." + t.table() + cluster.onCluster()
          + (t.desired() == null ? " REMOVE TTL" : " MODIFY TTL " + t.desired());
      if (t.desired() == null && t.actual() == null) {
        continue;
      }
      try (Statement s = c.createStatement()) {
        // do not rewrite every existing part now: expired rows go at the next merge
        s.execute(sql + " SETTINGS materialize_ttl_after_modify = 0");
      }
      changed.add(t.table());
    }
    return changed;
  }

  private String logs() {
    int info = config.logsInfoDays();
    int warn = config.logsWarnDays();
    int error = config.logsErrorDays();
    List<String> rules = new ArrayList<>();
    // SeverityNumber: 1-12 TRACE/DEBUG/INFO (0 = unset counts as INFO), 13-16 WARN, 17-24 ERROR/FATAL
    if (info > 0) {
      rules.add("toDateTime(Timestamp) + toIntervalDay(" + info + ") WHERE SeverityNumber < 13");
    }
    if (warn > 0) {
      rules.add("toDateTime(Timestamp) + toIntervalDay(" + warn + ") WHERE (SeverityNumber >= 13) AND (SeverityNumber < 17)");
    }
    if (error > 0) {
      rules.add("toDateTime(Timestamp) + toIntervalDay(" + error + ") WHERE SeverityNumber >= 17");
    }
    return rules.isEmpty() ? null : String.join(", ", rules);
  }

  private static String days(String column, int days) {
    return days == 0 ? null : column + " + toIntervalDay(" + days + ")";
  }

  /** The TTL clause of a table's definition, as ClickHouse formats it; null when it has none. */
  static String currentTtl(Connection c, String database, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT engine_full FROM system.tables WHERE database = ? AND name = ?")) {
      ps.setString(1, database);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("table " + database + "." + table + " does not exist; run the migrations first");
        }
        String engine = rs.getString(1);
        int ttl = engine.indexOf(" TTL ");
        if (ttl < 0) {
          return null;
        }
        int settings = engine.indexOf(" SETTINGS ", ttl);
        return engine.substring(ttl + 5, settings < 0 ? engine.length() : settings).strip();
      }
    }
  }

  /** ClickHouse reformats expressions; compare without whitespace, parentheses and case. */
  static String normalize(String ttl) {
    return ttl == null ? "" : ttl.replaceAll("[\\s()]", "").toLowerCase();
  }
}
