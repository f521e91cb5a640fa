package io.hoptrace.clickhouse.schema;

import java.sql.Connection;
import java.sql.SQLException;

/** Test access to the TTL clause ClickHouse reports for a table. */
public final class RetentionPolicyProbe {
  private RetentionPolicyProbe() {}

  public static String ttl(Connection c, String database, String table) throws SQLException {
    return RetentionPolicy.currentTtl(c, database, table);
  }
}
