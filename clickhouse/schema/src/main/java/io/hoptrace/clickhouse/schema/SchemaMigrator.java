package io.hoptrace.clickhouse.schema;

import io.hoptrace.clickhouse.ClickHouseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the database, applies the {@link Migrations} not yet recorded in
 * {@code <database>.schema_migrations}, then the {@link RetentionPolicy}. Running it again changes
 * nothing. Blocking (JDBC): call it off the event loop.
 */
public final class SchemaMigrator {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

  /** What a run did. */
  public record Result(List<String> applied, List<String> alreadyApplied, List<String> retentionChanged) {
    public boolean changedNothing() {
      return applied.isEmpty() && retentionChanged.isEmpty();
    }

    @Override
    public String toString() {
      return "applied " + applied + ", already applied " + alreadyApplied.size() + ", retention changed on " + retentionChanged;
    }
  }

  private final ClickHouseSettings settings;
  private final RetentionConfig retention;
  private final ClickHouseCluster cluster;
  private final List<Migration> migrations;

  public SchemaMigrator(ClickHouseSettings settings, RetentionConfig retention) {
    this(settings, retention, ClickHouseCluster.SINGLE_NODE);
  }

  /**
   * In cluster mode ({@link ClickHouseCluster#enabled()}) the statements take their {@link ClusterDdl}
   * form; with a replicated cluster they run {@code ON CLUSTER} (once, against any node), else this
   * migrator has to run against each node. Its bookkeeping table stays local to the node it talks to.
   */
  public SchemaMigrator(ClickHouseSettings settings, RetentionConfig retention, ClickHouseCluster cluster) {
    this(settings, retention, cluster, Migrations.all());
  }

  SchemaMigrator(ClickHouseSettings settings, RetentionConfig retention, List<Migration> migrations) {
    this(settings, retention, ClickHouseCluster.SINGLE_NODE, migrations);
  }

  SchemaMigrator(ClickHouseSettings settings, RetentionConfig retention, ClickHouseCluster cluster, List<Migration> migrations) {
    this.settings = settings;
    this.retention = retention;
    this.cluster = cluster;
    this.migrations = List.copyOf(migrations);
  }

  /** The statements a migration runs here: its own, or their cluster form. */
  public List<String> statements(Migration m) {
    List<String> plain = m.statements(settings.database());
    return cluster.enabled() ? new ClusterDdl(cluster).rewrite(plain) : plain;
  }

  public Result migrate() {
    String db = settings.database();
    try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties())) {
      execute(c, "CREATE DATABASE IF NOT EXISTS " + db + cluster.onCluster());
      execute(c, "CREATE TABLE IF NOT EXISTS " + db + ".schema_migrations ("
          + "version UInt32, name String, checksum String, applied_at DateTime64(3) DEFAULT now64(3)"
          + ") ENGINE = ReplacingMergeTree ORDER BY version");
      Map<Integer, String> recorded = recorded(c, db);
      List<String> applied = new ArrayList<>();
      List<String> already = new ArrayList<>();
      for (Migration m : migrations) {
        String checksum = recorded.get(m.version());
        if (checksum != null) {
          if (!checksum.equals(m.checksum())) {
            throw new SchemaException("migration " + m.name() + " was changed after it was applied to " + db
                + " (checksum " + checksum.substring(0, 12) + "... in the database, " + m.checksum().substring(0, 12)
                + "... in the build). Add a new migration instead of editing an applied one; for a throw-away local"
                + " database, delete the ClickHouse data folder (.data/clickhouse).");
          }
          already.add(m.name());
          continue;
        }
        for (String statement : statements(m)) {
          execute(c, statement);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db + ".schema_migrations (version, name, checksum) VALUES (?, ?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.name());
          ps.setString(3, m.checksum());
          ps.executeUpdate();
        }
        applied.add(m.name());
        log.info("applied ClickHouse migration {} to database {}", m.name(), db);
      }
      List<String> ttl = new RetentionPolicy(retention, cluster).apply(c, db);
      if (!ttl.isEmpty()) {
        log.info("retention changed on {}", ttl);
      }
      return new Result(List.copyOf(applied), List.copyOf(already), List.copyOf(ttl));
    } catch (SQLException e) {
      throw new SchemaException("ClickHouse schema migration on " + settings.url() + " database " + db + " failed: "
          + e.getMessage() + ". Is ClickHouse reachable, and may " + settings.user() + " create tables?", e);
    }
  }

  private static Map<Integer, String> recorded(Connection c, String db) throws SQLException {
    Map<Integer, String> m = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, argMax(checksum, applied_at) FROM " + db + ".schema_migrations GROUP BY version")) {
      while (rs.next()) {
        m.put(rs.getInt(1), rs.getString(2));
      }
    }
    return m;
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      String head = sql.length() > 120 ? sql.substring(0, 117) + "..." : sql;
      throw new SQLException(e.getMessage() + " [statement: " + head.replace('\n', ' ') + "]", e);
    }
  }

  /** The schema could not be applied; the message names the migration or statement and what to do. */
  public static final class SchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SchemaException(String message) {
      super(message);
    }

    public SchemaException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
