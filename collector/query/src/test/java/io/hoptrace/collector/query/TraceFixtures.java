package io.hoptrace.collector.query;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Traces and logs with exactly the shape the order and inventory services produce (the five-span
 * trace of an order, docs/http-api.md), written into {@code otel_traces} and {@code otel_logs} with
 * JDBC.
 *
 * <pre>
 * order     SERVER   POST /order-product
 *   order     CLIENT   GET                                  (list-products)
 *     inventory SERVER   GET /list-products
 *   order     PRODUCER stock-reductions publish
 *     inventory CONSUMER stock-reductions process
 *       inventory PRODUCER stock-reduction-results publish
 *         order     CONSUMER stock-reduction-results process
 * </pre>
 */
public final class TraceFixtures {
  /** Column name, type: the part of the schema the fixtures fill (the rest takes its defaults). */
  private static final String[][] SPAN_COLUMNS = {
      {"Timestamp", "DateTime64(9)"}, {"TraceId", "String"}, {"SpanId", "String"}, {"ParentSpanId", "String"},
      {"TraceState", "String"}, {"SpanName", "String"}, {"SpanKind", "String"}, {"ServiceName", "String"},
      {"ResourceAttributes", "Map(String, String)"}, {"ScopeName", "String"}, {"ScopeVersion", "String"},
      {"SpanAttributes", "Map(String, String)"}, {"Duration", "UInt64"}, {"StatusCode", "String"}, {"StatusMessage", "String"},
      {"Events.Timestamp", "Array(DateTime64(9))"}, {"Events.Name", "Array(String)"}, {"Events.Attributes", "Array(Map(String, String))"},
      {"Links.TraceId", "Array(String)"}, {"Links.SpanId", "Array(String)"}, {"Links.TraceState", "Array(String)"},
      {"Links.Attributes", "Array(Map(String, String))"}};
  private static final String[][] LOG_COLUMNS = {
      {"Timestamp", "DateTime64(9)"}, {"TraceId", "String"}, {"SpanId", "String"}, {"TraceFlags", "UInt8"},
      {"SeverityText", "String"}, {"SeverityNumber", "UInt8"}, {"ServiceName", "String"}, {"Body", "String"},
      {"ResourceAttributes", "Map(String, String)"}, {"ScopeName", "String"}, {"LogAttributes", "Map(String, String)"}};

  private final List<JsonObject> spans = new ArrayList<>();
  private final List<JsonObject> logs = new ArrayList<>();

  /** One placed order: the ids of its spans by role. */
  public record OrderTrace(String traceId, Instant start, Map<String, String> spanIds, long durationNs) {
    public String span(String role) {
      return spanIds.get(role);
    }
  }

  public static String traceId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  public static String spanId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /**
   * An order for {@code productId}. With {@code failed}, inventory's processing fails (status Error,
   * an ERROR log) and the order is rejected.
   */
  public OrderTrace order(Instant start, String orderId, String productId, boolean failed) {
    String t = traceId();
    Map<String, String> ids = new LinkedHashMap<>();
    for (String role : List.of("server", "client", "inventoryServer", "publish", "process", "replyPublish", "replyProcess")) {
      ids.put(role, spanId());
    }
    long b = nanos(start);
    long ms = 1_000_000L;
    span(t, ids.get("server"), "", "POST /order-product", "Server", "order", b, 40 * ms, failed ? "Error" : "Unset",
        failed ? "order rejected: insufficient stock" : "",
        attrs("http.request.method", "POST", "http.route", "/order-product", "url.path", "/order-product",
            "http.response.status_code", failed ? "409" : "201", "order.id", orderId, "product.id", productId),
        List.of());
    span(t, ids.get("client"), ids.get("server"), "GET", "Client", "order", b + 2 * ms, 8 * ms, "Unset", "",
        attrs("http.request.method", "GET", "url.full", "http://127.0.0.1:8010/list-products", "server.address", "127.0.0.1",
            "server.port", "8010", "http.response.status_code", "200"), List.of());
    span(t, ids.get("inventoryServer"), ids.get("client"), "GET /list-products", "Server", "inventory", b + 3 * ms, 5 * ms, "Unset", "",
        attrs("http.request.method", "GET", "http.route", "/list-products", "http.response.status_code", "200"), List.of());
    span(t, ids.get("publish"), ids.get("server"), "stock-reductions publish", "Producer", "order", b + 12 * ms, 4 * ms, "Unset", "",
        messaging("stock-reductions", "publish", "1", "42", productId, null), List.of());
    span(t, ids.get("process"), ids.get("publish"), "stock-reductions process", "Consumer", "inventory", b + 19 * ms, 10 * ms,
        failed ? "Error" : "Unset", failed ? "insufficient stock" : "",
        messaging("stock-reductions", "process", "1", "42", productId, "inventory"), List.of());
    span(t, ids.get("replyPublish"), ids.get("process"), "stock-reduction-results publish", "Producer", "inventory", b + 22 * ms, 3 * ms,
        "Unset", "", messaging("stock-reduction-results", "publish", "0", "7", orderId, null), List.of());
    span(t, ids.get("replyProcess"), ids.get("replyPublish"), "stock-reduction-results process", "Consumer", "order", b + 30 * ms, 6 * ms,
        "Unset", "", messaging("stock-reduction-results", "process", "0", "7", orderId, "order"), List.of());

    log(t, ids.get("server"), b + 1 * ms, "INFO", 9, "order", "order " + orderId + " received: product " + productId + ", quantity 2");
    log(t, ids.get("process"), b + 20 * ms, failed ? "ERROR" : "INFO", failed ? 17 : 9, "inventory",
        failed ? "cannot reduce stock of " + productId + ": insufficient stock" : "reduced stock of " + productId + " by 2 (8 left)");
    log(t, ids.get("replyProcess"), b + 31 * ms, failed ? "WARN" : "INFO", failed ? 13 : 9, "order",
        "order " + orderId + (failed ? " rejected" : " completed"));
    return new OrderTrace(t, start, ids, 40 * ms);
  }

  /** A replay: a new trace whose inventory processing span links to the original publish span. */
  public OrderTrace replayOf(OrderTrace original, Instant start) {
    String t = traceId();
    String id = spanId();
    long b = nanos(start);
    JsonObject link = new JsonObject().put("traceId", original.traceId()).put("spanId", original.span("publish"));
    JsonObject a = messaging("stock-reductions", "process", "1", "43", "p-1", "inventory");
    a.put("hoptrace.replay.of", "stock-reductions/1/42");
    span(t, id, "", "stock-reductions process", "Consumer", "inventory", b, 2_000_000L, "Unset", "", a, List.of(link));
    log(t, id, b + 500_000L, "INFO", 9, "inventory", "replayed stock reduction already applied: nothing to do");
    return new OrderTrace(t, start, Map.of("process", id), 2_000_000L);
  }

  /** A list-products request only (order → inventory over HTTP). */
  public OrderTrace listProducts(Instant start) {
    String t = traceId();
    Map<String, String> ids = Map.of("server", spanId(), "client", spanId(), "inventoryServer", spanId());
    long b = nanos(start);
    long ms = 1_000_000L;
    span(t, ids.get("server"), "", "GET /list-products", "Server", "order", b, 12 * ms, "Unset", "",
        attrs("http.request.method", "GET", "http.route", "/list-products", "http.response.status_code", "200"), List.of());
    span(t, ids.get("client"), ids.get("server"), "GET", "Client", "order", b + 1 * ms, 9 * ms, "Unset", "",
        attrs("http.request.method", "GET", "url.full", "http://127.0.0.1:8010/list-products"), List.of());
    span(t, ids.get("inventoryServer"), ids.get("client"), "GET /list-products", "Server", "inventory", b + 2 * ms, 6 * ms, "Unset", "",
        attrs("http.request.method", "GET", "http.route", "/list-products", "http.response.status_code", "200"), List.of());
    return new OrderTrace(t, start, ids, 12 * ms);
  }

  /** A large trace ({@code count} spans, a tree with fan-out 4) for the page-load budget. */
  public OrderTrace bigTrace(Instant start, int count) {
    String t = traceId();
    List<String> ids = new ArrayList<>();
    long b = nanos(start);
    for (int i = 0; i < count; i++) {
      String id = spanId();
      ids.add(id);
      String parent = i == 0 ? "" : ids.get((i - 1) / 4);
      String service = i % 3 == 0 ? "order" : "inventory";
      span(t, id, parent, i == 0 ? "POST /bulk-order" : "step " + i, i == 0 ? "Server" : "Internal", service,
          b + i * 100_000L, Math.max(50_000L, (count - i) * 90_000L), i % 50 == 7 ? "Error" : "Unset", "", attrs("step", Integer.toString(i)),
          List.of());
    }
    return new OrderTrace(t, start, Map.of("server", ids.get(0)), count * 100_000L);
  }

  /** Writes everything added so far and forgets it. */
  public void insert(ClickHouseSettings db) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties())) {
      insert(c, db.database() + ".otel_traces", SPAN_COLUMNS, spans);
      insert(c, db.database() + ".otel_logs", LOG_COLUMNS, logs);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write fixtures to " + db, e);
    }
    spans.clear();
    logs.clear();
  }

  /** Row count of a table: proof that a request changed nothing. */
  public static long count(ClickHouseSettings db, String table) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count() FROM " + db.database() + "." + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The names of the tables of a database: proof that no table was dropped or added. */
  public static List<String> tables(ClickHouseSettings db) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
        PreparedStatement ps = c.prepareStatement("SELECT name FROM system.tables WHERE database = ? ORDER BY name")) {
      ps.setString(1, db.database());
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void insert(Connection c, String table, String[][] columns, List<JsonObject> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    String names = java.util.Arrays.stream(columns).map(col -> "`" + col[0] + "`").collect(Collectors.joining(", "));
    String structure = java.util.Arrays.stream(columns).map(col -> "`" + col[0] + "` " + col[1]).collect(Collectors.joining(", "));
    // the rows travel as one JDBC parameter, which the driver inlines into the query: batches of 50
    // stay under ClickHouse's max_query_size; the format() table function parses them with these types
    for (int from = 0; from < rows.size(); from += 50) {
      String data = rows.subList(from, Math.min(rows.size(), from + 50)).stream().map(JsonObject::encode).collect(Collectors.joining("\n"));
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + names + ") SELECT * FROM format(JSONEachRow, '"
          + structure + "', ?)")) {
        ps.setString(1, data);
        ps.executeUpdate();
      }
    }
  }

  private void span(String traceId, String spanId, String parent, String name, String kind, String service, long startNs,
      long durationNs, String status, String statusMessage, JsonObject attributes, List<JsonObject> links) {
    JsonArray events = new JsonArray();
    if ("Error".equals(status)) {
      events.add(new JsonObject().put("t", Long.toString(startNs + durationNs / 2)).put("name", "exception")
          .put("attributes", attrs("exception.type", "InsufficientStockException", "exception.message", statusMessage)));
    }
    spans.add(new JsonObject()
        .put("Timestamp", Long.toString(startNs))
        .put("TraceId", traceId).put("SpanId", spanId).put("ParentSpanId", parent).put("TraceState", "")
        .put("SpanName", name).put("SpanKind", kind).put("ServiceName", service)
        .put("ResourceAttributes", attrs("service.name", service, "service.version", "0.1.0", "host.name", "fixture-host",
            "telemetry.sdk.language", "java"))
        .put("ScopeName", "io.hoptrace." + service).put("ScopeVersion", "0.1.0")
        .put("SpanAttributes", attributes)
        .put("Duration", durationNs)
        .put("StatusCode", status).put("StatusMessage", statusMessage)
        .put("Events.Timestamp", new JsonArray(events.stream().map(e -> ((JsonObject) e).getString("t")).toList()))
        .put("Events.Name", new JsonArray(events.stream().map(e -> ((JsonObject) e).getString("name")).toList()))
        .put("Events.Attributes", new JsonArray(events.stream().map(e -> ((JsonObject) e).getJsonObject("attributes")).toList()))
        .put("Links.TraceId", new JsonArray(links.stream().map(l -> l.getString("traceId")).toList()))
        .put("Links.SpanId", new JsonArray(links.stream().map(l -> l.getString("spanId")).toList()))
        .put("Links.TraceState", new JsonArray(links.stream().map(l -> "").toList()))
        .put("Links.Attributes", new JsonArray(links.stream().map(l -> attrs("hoptrace.link", "replay-of")).toList())));
  }

  private void log(String traceId, String spanId, long timeNs, String severity, int number, String service, String body) {
    logs.add(new JsonObject()
        .put("Timestamp", Long.toString(timeNs)).put("TraceId", traceId).put("SpanId", spanId).put("TraceFlags", 1)
        .put("SeverityText", severity).put("SeverityNumber", number).put("ServiceName", service).put("Body", body)
        .put("ResourceAttributes", attrs("service.name", service)).put("ScopeName", "io.hoptrace." + service)
        .put("LogAttributes", new JsonObject()));
  }

  private static JsonObject messaging(String topic, String operation, String partition, String offset, String key, String group) {
    JsonObject a = attrs("messaging.system", "kafka", "messaging.destination.name", topic, "messaging.operation.type", operation,
        "messaging.destination.partition.id", partition, "messaging.kafka.offset", offset, "messaging.kafka.message.key", key);
    if (group != null) {
      a.put("messaging.consumer.group.name", group);
    }
    return a;
  }

  private static JsonObject attrs(String... kv) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < kv.length; i += 2) {
      o.put(kv[i], kv[i + 1]);
    }
    return o;
  }

  static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
