package io.hoptrace.clickhouse.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the single-node migrations for a {@link ClickHouseCluster}: the migrations stay the one
 * schema history, this class knows the five statement shapes they use and gives each its cluster form.
 * <ul>
 *   <li>{@code CREATE TABLE t (...) ENGINE = XMergeTree} becomes {@code t_local} with
 *       {@code ReplicatedXMergeTree('/clickhouse/tables/{shard}/<db>/t_local', '{replica}')} (or the plain
 *       engine without replication) and {@code t AS t_local ENGINE = Distributed(cluster, db, t_local, key)};</li>
 *   <li>a materialized view reads and writes the local tables (it fires on the shard that stores the rows);</li>
 *   <li>{@code RENAME} renames the local table and re-creates the Distributed one under the new name;</li>
 *   <li>{@code ALTER} and {@code CREATE VIEW} (views read the Distributed tables) gain {@code ON CLUSTER}.</li>
 * </ul>
 * The sharding key is a hash of row content, never {@code rand()}: a retried insert with the same
 * deduplication token must split into the same blocks on the same shards (docs/adr/014).
 */
public final class ClusterDdl {
  public static final String LOCAL_SUFFIX = "_local";

  private static final Pattern CREATE_TABLE = Pattern.compile(
      "(?s)^CREATE TABLE IF NOT EXISTS (\\w+)\\.(\\w+) \\((.*)\\) ENGINE = (\\w*MergeTree)\\b(.*)$");
  private static final Pattern CREATE_MV = Pattern.compile(
      "(?s)^CREATE MATERIALIZED VIEW IF NOT EXISTS (\\w+\\.\\w+) TO (\\w+)\\.(\\w+)(.*)$");
  private static final Pattern FROM_TABLE = Pattern.compile("\\bFROM (\\w+)\\.(otel_\\w+)");
  private static final Pattern RENAME = Pattern.compile("^RENAME TABLE (\\w+)\\.(\\w+) TO (\\w+)\\.(\\w+)$");
  private static final Pattern ALTER = Pattern.compile("(?s)^ALTER TABLE (\\w+\\.\\w+) (.*)$");
  private static final Pattern CREATE_VIEW = Pattern.compile("(?s)^CREATE VIEW IF NOT EXISTS (\\w+\\.\\w+) (.*)$");

  private final ClickHouseCluster cluster;

  public ClusterDdl(ClickHouseCluster cluster) {
    if (!cluster.enabled()) {
      throw new IllegalArgumentException("ClusterDdl needs a cluster name (CLICKHOUSE_CLUSTER)");
    }
    this.cluster = cluster;
  }

  /** The cluster form of one migration statement (one or more statements, in order). */
  public List<String> rewrite(String statement) {
    String on = cluster.onCluster();
    Matcher m = CREATE_TABLE.matcher(statement);
    if (m.matches()) {
      String db = m.group(1);
      String table = m.group(2);
      String local = table + LOCAL_SUFFIX;
      String engine = cluster.replicated()
          ? "Replicated" + m.group(4) + "('/clickhouse/tables/{shard}/" + db + "/" + local + "', '{replica}')"
          : m.group(4);
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + db + "." + local + on + " (" + m.group(3) + ") ENGINE = " + engine + m.group(5),
          distributed(db, table));
    }
    m = CREATE_MV.matcher(statement);
    if (m.matches()) {
      String rest = FROM_TABLE.matcher(m.group(4)).replaceAll("FROM $1.$2" + LOCAL_SUFFIX);
      return List.of("CREATE MATERIALIZED VIEW IF NOT EXISTS " + m.group(1) + on + " TO " + m.group(2) + "." + m.group(3)
          + LOCAL_SUFFIX + rest);
    }
    m = RENAME.matcher(statement);
    if (m.matches()) {
      String db = m.group(3);
      return List.of(
          "RENAME TABLE " + m.group(1) + "." + m.group(2) + LOCAL_SUFFIX + " TO " + db + "." + m.group(4) + LOCAL_SUFFIX + on,
          "DROP TABLE IF EXISTS " + m.group(1) + "." + m.group(2) + on,
          distributed(db, m.group(4)));
    }
    m = ALTER.matcher(statement);
    if (m.matches()) {
      return List.of("ALTER TABLE " + m.group(1) + on + " " + m.group(2));
    }
    m = CREATE_VIEW.matcher(statement);
    if (m.matches()) {
      return List.of("CREATE VIEW IF NOT EXISTS " + m.group(1) + on + " " + m.group(2));
    }
    String head = statement.length() > 80 ? statement.substring(0, 77) + "..." : statement;
    throw new IllegalArgumentException("no cluster form for the migration statement [" + head.replace('\n', ' ')
        + "]: teach ClusterDdl this shape");
  }

  /** Every statement of a migration in its cluster form. */
  public List<String> rewrite(List<String> statements) {
    List<String> out = new ArrayList<>();
    statements.forEach(s -> out.addAll(rewrite(s)));
    return out;
  }

  private String distributed(String db, String table) {
    return "CREATE TABLE IF NOT EXISTS " + db + "." + table + cluster.onCluster() + " AS " + db + "." + table + LOCAL_SUFFIX
        + " ENGINE = Distributed(" + cluster.name() + ", " + db + ", " + table + LOCAL_SUFFIX + ", " + shardingKey(table) + ")";
  }

  /**
   * Spans (and the trace-id lookup) by trace id, so that a trace lives on one shard; logs and metrics
   * by content. Deterministic, so that a retried block lands on the same shards as the first attempt.
   */
  static String shardingKey(String table) {
    if (table.startsWith("otel_traces")) {
      return "cityHash64(TraceId)";
    }
    if (table.equals("otel_logs")) {
      return "cityHash64(TraceId, SpanId, ServiceName)";
    }
    if (table.startsWith("otel_metrics_")) {
      return "cityHash64(ServiceName, MetricName, Attributes)";
    }
    throw new IllegalArgumentException("no sharding key for table " + table + ": give it one in ClusterDdl.shardingKey");
  }
}
