package io.hoptrace.clickhouse.schema;

import io.hoptrace.config.Env;
import java.util.Objects;

/**
 * Single node, or a named ClickHouse cluster ({@code remote_servers}) whose shards hold the telemetry.
 * In cluster mode each table of the exporter's schema becomes a local table {@code <name>_local} on every
 * node (where retention applies) and a {@code Distributed} table under the exporter's name (what the
 * ingester writes to and the explorer reads), see {@link ClusterDdl}.
 *
 * @param name cluster name as in the servers' {@code remote_servers}; empty = single node
 * @param replicated {@code Replicated*MergeTree} local tables and DDL {@code ON CLUSTER} (both need
 *     ClickHouse Keeper or ZooKeeper); false = plain {@code MergeTree} local tables (one replica per
 *     shard, no Keeper) and the migrations run against each node in turn
 */
public record ClickHouseCluster(String name, boolean replicated) {
  public static final ClickHouseCluster SINGLE_NODE = new ClickHouseCluster("", true);

  public ClickHouseCluster {
    Objects.requireNonNull(name, "name");
    if (!name.isEmpty() && !name.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
      throw new IllegalArgumentException("CLICKHOUSE_CLUSTER=" + name
          + " must be the name of a cluster in the servers' remote_servers (letters, digits, _), or empty for a single node");
    }
  }

  /** {@code CLICKHOUSE_CLUSTER} (empty: single node), {@code CLICKHOUSE_CLUSTER_REPLICATED} (true). */
  public static ClickHouseCluster fromEnv(Env env) {
    return new ClickHouseCluster(env.string("CLICKHOUSE_CLUSTER", "").strip(), env.bool("CLICKHOUSE_CLUSTER_REPLICATED", true));
  }

  public boolean enabled() {
    return !name.isEmpty();
  }

  /** {@code " ON CLUSTER <name>"} when DDL is distributed by the cluster itself, else empty. */
  public String onCluster() {
    return enabled() && replicated ? " ON CLUSTER " + name : "";
  }

  /** The name of the table that holds the rows: {@code <table>_local} in cluster mode. */
  public String localTable(String table) {
    return enabled() ? table + ClusterDdl.LOCAL_SUFFIX : table;
  }
}
