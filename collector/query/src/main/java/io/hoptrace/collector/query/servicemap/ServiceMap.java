package io.hoptrace.collector.query.servicemap;

import io.hoptrace.collector.query.api.TimeRange;
import io.hoptrace.collector.query.clickhouse.ClickHouseHttp;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service map of a time range, derived from spans: services and Kafka topics are nodes; edges are
 * <ul>
 *   <li>client → service: root SERVER spans (requests from outside the system),</li>
 *   <li>service → service: a CLIENT span whose child SERVER span is in another service (latency = client span),</li>
 *   <li>service → topic: PRODUCER spans by {@code messaging.destination.name} (latency = publish span),</li>
 *   <li>topic → service: CONSUMER spans (latency = processing span; plus the p95 time from publish
 *       start to processing start when the producer span is in the same trace).</li>
 * </ul>
 * Errors count spans with status Error on either side of the edge.
 */
public final class ServiceMap {
  private static final String RANGE = "Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64}) AND Timestamp < fromUnixTimestamp64Nano({to_ns:Int64})";
  /** children of spans in range may start a little after it ends */
  private static final String CHILD_RANGE = "Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64}) AND Timestamp < fromUnixTimestamp64Nano({to_ns:Int64}) + INTERVAL 10 MINUTE";

  private static final String SQL = ""
      + "SELECT 'client' AS source, 'external' AS source_type, ServiceName AS target, 'service' AS target_type, 'http' AS kind,\n"
      + "  count() AS requests, countIf(StatusCode = 'Error') AS errors, quantile(0.95)(Duration) AS p95_ns, 0 AS p95_wait_ns\n"
      + "FROM otel_traces WHERE " + RANGE + " AND SpanKind = 'Server' AND ParentSpanId = ''\n"
      + "GROUP BY ServiceName\n"
      + "UNION ALL\n"
      + "SELECT c.ServiceName AS source, 'service' AS source_type, s.ServiceName AS target, 'service' AS target_type, 'http' AS kind,\n"
      + "  count() AS requests, countIf(c.StatusCode = 'Error' OR s.StatusCode = 'Error') AS errors, quantile(0.95)(c.Duration) AS p95_ns, 0 AS p95_wait_ns\n"
      + "FROM (SELECT TraceId, SpanId, ServiceName, StatusCode, Duration FROM otel_traces WHERE " + RANGE + " AND SpanKind = 'Client') AS c\n"
      + "INNER JOIN (SELECT TraceId, ParentSpanId, ServiceName, StatusCode FROM otel_traces WHERE " + CHILD_RANGE + " AND SpanKind = 'Server' AND ParentSpanId != '') AS s\n"
      + "  ON s.TraceId = c.TraceId AND s.ParentSpanId = c.SpanId\n"
      + "GROUP BY c.ServiceName, s.ServiceName\n"
      + "UNION ALL\n"
      + "SELECT ServiceName AS source, 'service' AS source_type, SpanAttributes['messaging.destination.name'] AS target, 'topic' AS target_type,\n"
      + "  'kafka' AS kind, count() AS requests, countIf(StatusCode = 'Error') AS errors, quantile(0.95)(Duration) AS p95_ns, 0 AS p95_wait_ns\n"
      + "FROM otel_traces WHERE " + RANGE + " AND SpanKind = 'Producer' AND SpanAttributes['messaging.destination.name'] != ''\n"
      + "GROUP BY ServiceName, target\n"
      + "UNION ALL\n"
      + "SELECT c.topic AS source, 'topic' AS source_type, c.ServiceName AS target, 'service' AS target_type, 'kafka' AS kind,\n"
      + "  count() AS requests, countIf(c.StatusCode = 'Error') AS errors, quantile(0.95)(c.Duration) AS p95_ns,\n"
      + "  quantileIf(0.95)(c.start_ns - p.start_ns, p.start_ns != 0) AS p95_wait_ns\n"
      + "FROM (SELECT TraceId, ParentSpanId, ServiceName, StatusCode, Duration, toUnixTimestamp64Nano(Timestamp) AS start_ns,\n"
      + "        SpanAttributes['messaging.destination.name'] AS topic\n"
      + "      FROM otel_traces WHERE " + RANGE + " AND SpanKind = 'Consumer' AND SpanAttributes['messaging.destination.name'] != '') AS c\n"
      + "LEFT JOIN (SELECT TraceId, SpanId, toUnixTimestamp64Nano(Timestamp) AS start_ns FROM otel_traces\n"
      + "           WHERE Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64}) - INTERVAL 10 MINUTE AND Timestamp < fromUnixTimestamp64Nano({to_ns:Int64})\n"
      + "             AND SpanKind = 'Producer') AS p\n"
      + "  ON p.TraceId = c.TraceId AND p.SpanId = c.ParentSpanId\n"
      + "GROUP BY c.topic, c.ServiceName\n"
      + "SETTINGS join_use_nulls = 0";

  private final ClickHouseHttp clickHouse;

  public ServiceMap(ClickHouseHttp clickHouse) {
    this.clickHouse = clickHouse;
  }

  public Future<JsonObject> build(TimeRange range) {
    return clickHouse.select(SQL, range.params()).map(rows -> {
      Map<String, JsonObject> nodes = new LinkedHashMap<>();
      JsonArray edges = new JsonArray();
      rows.sort(java.util.Comparator.comparing((JsonObject r) -> r.getString("source")).thenComparing(r -> r.getString("target")));
      for (JsonObject r : rows) {
        String source = node(nodes, r.getString("source_type"), r.getString("source"));
        String target = node(nodes, r.getString("target_type"), r.getString("target"));
        long requests = r.getLong("requests");
        long errors = r.getLong("errors");
        JsonObject edge = new JsonObject()
            .put("source", source)
            .put("target", target)
            .put("kind", r.getString("kind"))
            .put("requests", requests)
            .put("errors", errors)
            .put("errorRate", requests == 0 ? 0.0 : Math.round(errors * 10_000.0 / requests) / 10_000.0)
            .put("p95Ms", ms(r.getValue("p95_ns")));
        if ("topic".equals(r.getString("source_type"))) {
          edge.put("p95PublishToProcessMs", ms(r.getValue("p95_wait_ns")));
        }
        edges.add(edge);
      }
      return new JsonObject()
          .put("from", range.fromInstant().toString())
          .put("to", range.toInstant().toString())
          .put("nodes", new JsonArray(new java.util.ArrayList<>(nodes.values())))
          .put("edges", edges);
    });
  }

  private static String node(Map<String, JsonObject> nodes, String type, String name) {
    String id = type + ":" + name;
    nodes.computeIfAbsent(id, k -> new JsonObject().put("id", id).put("type", type).put("name", name));
    return id;
  }

  private static Double ms(Object nanos) {
    if (!(nanos instanceof Number n) || Double.isNaN(n.doubleValue())) {
      return null;
    }
    return Math.round(n.doubleValue() / 1_000.0) / 1_000.0;
  }
}
