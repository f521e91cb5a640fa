package io.hoptrace.collector.ingester.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.collector.ingester.rows.RowBinary;
import io.hoptrace.collector.ingester.rows.Table;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one ClickHouse writer: RowBinary inserts over HTTP with clickhouse-java client-v2. Knows tables
 * and rows, nothing about OTLP or Kafka. Two ways in (docs/adr/004):
 * <ul>
 *   <li>{@link #insert}: a plain insert with an {@code insert_deduplication_token}; repeating it with
 *       the same token (a retried or re-formed batch) adds nothing, the trace-id view included;</li>
 *   <li>{@link #insertAbsent}: for replayed data, rows go to a scratch table first and only those whose
 *       identity is not yet stored in that day are copied over.</li>
 * </ul>
 * What it needs of ClickHouse is little, so that it can run as a user that may do only that: INSERT
 * on the telemetry tables, SELECT on the identity views ({@code _hoptrace_identity_*}, migration 005),
 * and CREATE, INSERT, SELECT, DROP on its own scratch tables ({@code _hoptrace_replay_*}, Memory
 * engine). It never reads a stored row.
 * Blocking: call it from worker threads.
 */
public final class ClickHouseWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClickHouseWriter.class);
  static final String STAGING_PREFIX = "_hoptrace_replay_";
  /** The views of stored rows' identities (migration 005): all the writer may read of a table. */
  static final String IDENTITY_PREFIX = "_hoptrace_identity_";

  private final Client client;
  private final String database;
  private final Duration timeout;
  private final Map<Table, String> columnDefinitions = new ConcurrentHashMap<>();

  public ClickHouseWriter(ClickHouseSettings settings, Duration timeout) {
    this.database = settings.database();
    this.timeout = timeout;
    Client.Builder builder = new Client.Builder()
        .addEndpoint(settings.url())
        .setUsername(settings.user())
        .setPassword(settings.password())
        .setDefaultDatabase(settings.database())
        .setMaxRetries(0) // retries are the RetryingBatchSink's job, with backoff
        .setSocketTimeout(timeout.toMillis())
        .setConnectTimeout(5, ChronoUnit.SECONDS)
        .compressClientRequest(false) // loopback: LZ4 would cost more CPU than it saves
        .setClientName("hoptrace-ingester");
    // https:// turns TLS on; a private CA's certificate is trusted in place of the JVM's CAs
    settings.tlsCaFile().ifPresent(ca -> builder.setRootCertificate(ca.toString()));
    this.client = builder.build();
  }

  public String database() {
    return database;
  }

  /** Inserts the rows; a repeat with the same token is dropped by ClickHouse. Returns rows written. */
  public long insert(Table table, RowBinary rows, String token) throws Exception {
    InsertSettings s = new InsertSettings()
        .setDeduplicationToken(token)
        .serverSetting("insert_deduplicate", "1")
        .serverSetting("deduplicate_blocks_in_dependent_materialized_views", "1")
        .serverSetting("async_insert", "0")
        // into a Distributed table (cluster mode): forward to the shards before answering (docs/adr/014)
        .serverSetting("distributed_foreground_insert", "1");
    try (InsertResponse r = client.insert(qualified(table), quoted(table.columns()), rows.stream(), ClickHouseFormat.RowBinary, s)
        .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
      return r.getWrittenRows();
    }
  }

  /**
   * Inserts only the rows whose {@link Table#identity()} is not already stored among rows of the same
   * partition time range: replays of data that is already there add nothing, whatever the batch
   * boundaries were the first time.
   */
  public void insertAbsent(Table table, RowBinary rows, String token) throws Exception {
    String staging = database + "." + STAGING_PREFIX + table.tableName() + "_" + UUID.randomUUID().toString().replace("-", "");
    String cols = String.join(", ", quoted(table.columns()));
    long ms = timeout.toMillis() + 5_000;
    try {
      execute("CREATE TABLE " + staging + " (" + columnDefinitions(table) + ") ENGINE = Memory", ms);
      InsertSettings s = new InsertSettings().serverSetting("async_insert", "0");
      client.insert(staging, quoted(table.columns()), rows.stream(), ClickHouseFormat.RowBinary, s)
          .get(ms, TimeUnit.MILLISECONDS).close();
      String time = table.partitionTimeColumn();
      String id = table.identity();
      CommandSettings cs = new CommandSettings();
      cs.serverSetting("insert_deduplication_token", token);
      cs.serverSetting("deduplicate_blocks_in_dependent_materialized_views", "1");
      cs.serverSetting("distributed_foreground_insert", "1");
      execute("INSERT INTO " + qualified(table) + " (" + cols + ") SELECT " + cols + " FROM " + staging
          + " WHERE " + id + " NOT IN (SELECT id FROM " + database + "." + IDENTITY_PREFIX + table.tableName()
          + " WHERE time BETWEEN (SELECT min(" + time + ") FROM " + staging + ") AND (SELECT max(" + time + ") FROM " + staging + "))"
          + " LIMIT 1 BY " + id, cs, ms);
    } finally {
      try {
        execute("DROP TABLE IF EXISTS " + staging, ms);
      } catch (Exception e) {
        log.warn("could not drop scratch table {} ({}); it is removed at the next start", staging, e.toString());
      }
    }
  }

  /** Drops scratch tables left behind by a crash (older than an hour, so none in use is touched). */
  public void dropStaleStagingTables() {
    try {
      List<GenericRecord> rows = client.queryAll("SELECT name FROM system.tables WHERE database = '" + database
          + "' AND startsWith(name, '" + STAGING_PREFIX + "') AND metadata_modification_time < now() - INTERVAL 1 HOUR");
      for (GenericRecord r : rows) {
        execute("DROP TABLE IF EXISTS " + database + ".`" + r.getString(1) + "`", timeout.toMillis());
      }
    } catch (Exception e) {
      log.warn("could not clean up scratch tables: {}", e.toString());
    }
  }

  /**
   * The insert columns with their types, as {@code system.columns} shows them to a user that may
   * insert into the table: a scratch table made from them needs no SELECT on the table itself.
   */
  private String columnDefinitions(Table table) throws Exception {
    String known = columnDefinitions.get(table);
    if (known != null) {
      return known;
    }
    Map<String, String> types = new HashMap<>();
    for (GenericRecord r : client.queryAll("SELECT name, type FROM system.columns WHERE database = '" + database
        + "' AND table = '" + table.tableName() + "'")) {
      types.put(r.getString(1), r.getString(2));
    }
    if (types.isEmpty()) {
      // as ClickHouse would say it, so that the ingester classifies it as systemic (a stall), like a plain insert's error
      throw new ServerException(60, "Code: 60. DB::Exception: Table " + qualified(table) + " does not exist or is not visible to this"
          + " user; it needs INSERT on the table (and the migrations applied). (UNKNOWN_TABLE)", 404, null);
    }
    StringBuilder sb = new StringBuilder();
    for (String column : table.columns()) {
      String type = types.get(column);
      if (type == null) {
        throw new ServerException(16, "Code: 16. DB::Exception: column " + column + " of " + qualified(table) + " is not visible"
            + " to this user; it needs INSERT on the table (and the migrations applied). (NO_SUCH_COLUMN_IN_TABLE)", 404, null);
      }
      sb.append(sb.length() == 0 ? "" : ", ").append('`').append(column).append("` ").append(type);
    }
    columnDefinitions.put(table, sb.toString());
    return sb.toString();
  }

  public boolean ping() {
    return client.ping(2_000);
  }

  private void execute(String sql, long ms) throws Exception {
    execute(sql, new CommandSettings(), ms);
  }

  private void execute(String sql, CommandSettings settings, long ms) throws Exception {
    client.execute(sql, settings).get(ms, TimeUnit.MILLISECONDS).close();
  }

  private String qualified(Table t) {
    return database + "." + t.tableName();
  }

  private static List<String> quoted(List<String> columns) {
    return columns.stream().map(c -> "`" + c + "`").collect(Collectors.toList());
  }

  @Override
  public void close() {
    client.close();
  }
}
