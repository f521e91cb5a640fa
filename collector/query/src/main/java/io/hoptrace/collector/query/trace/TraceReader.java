package io.hoptrace.collector.query.trace;

import io.hoptrace.collector.query.clickhouse.ClickHouseHttp;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Reads one trace from ClickHouse: its spans (narrowed to the trace's time window through the
 * {@code otel_traces_trace_id_ts} lookup, as Grafana's ClickHouse plugin does), its log lines, and the
 * spans of other traces that link to it (replays, batch consumers).
 */
public final class TraceReader {
  public static final int MAX_SPANS = 10_000;
  public static final int MAX_LOGS = 5_000;

  private static final String WINDOW = "WITH\n"
      + "  {trace_id:String} AS trace_id,\n"
      + "  (SELECT min(Start) FROM otel_traces_trace_id_ts WHERE TraceId = trace_id) AS trace_start,\n"
      + "  (SELECT max(End) + 1 FROM otel_traces_trace_id_ts WHERE TraceId = trace_id) AS trace_end\n";

  private static final String SPANS = WINDOW
      + "SELECT\n"
      + "  toUnixTimestamp64Nano(Timestamp) AS start_ns, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,\n"
      + "  ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage,\n"
      + "  arrayMap(t -> toUnixTimestamp64Nano(t), Events.Timestamp) AS event_ns, Events.Name AS event_names,\n"
      + "  Events.Attributes AS event_attributes,\n"
      + "  Links.TraceId AS link_trace_ids, Links.SpanId AS link_span_ids, Links.TraceState AS link_states,\n"
      + "  Links.Attributes AS link_attributes\n"
      + "FROM otel_traces\n"
      + "WHERE TraceId = trace_id AND Timestamp >= trace_start AND Timestamp <= trace_end\n"
      + "ORDER BY Timestamp, SpanId\n"
      + "LIMIT " + (MAX_SPANS + 1);

  private static final String LOGS = WINDOW
      + "SELECT toUnixTimestamp64Nano(Timestamp) AS time_ns, ServiceName, SeverityText, SeverityNumber, SpanId, Body, LogAttributes\n"
      + "FROM otel_logs\n"
      + "WHERE TraceId = trace_id\n"
      + "  AND Timestamp >= trace_start - INTERVAL 5 MINUTE AND Timestamp <= trace_end + INTERVAL 5 MINUTE\n"
      + "ORDER BY Timestamp, SpanId\n"
      + "LIMIT " + MAX_LOGS;

  /** Replays and batch consumers come after the original: look from its start up to a week later. */
  private static final String LINKED_FROM = WINDOW
      + "SELECT TraceId, SpanId, SpanName, ServiceName, toUnixTimestamp64Nano(Timestamp) AS start_ns,\n"
      + "  Links.SpanId[indexOf(Links.TraceId, trace_id)] AS linked_span_id\n"
      + "FROM otel_traces\n"
      + "WHERE has(Links.TraceId, trace_id) AND TraceId != trace_id\n"
      + "  AND Timestamp >= trace_start AND Timestamp <= trace_end + INTERVAL 7 DAY\n"
      + "ORDER BY Timestamp LIMIT 100";

  private final ClickHouseHttp clickHouse;

  public TraceReader(ClickHouseHttp clickHouse) {
    this.clickHouse = clickHouse;
  }

  /** Spans, logs and incoming links, read concurrently. */
  public Future<TraceRows> read(String traceId) {
    Map<String, String> params = Map.of("trace_id", traceId);
    Future<List<JsonObject>> spans = clickHouse.select(SPANS, params);
    Future<List<JsonObject>> logs = clickHouse.select(LOGS, params);
    Future<List<JsonObject>> linkedFrom = clickHouse.select(LINKED_FROM, params);
    return Future.all(spans, logs, linkedFrom)
        .map(all -> new TraceRows(traceId, spans.result(), logs.result(), linkedFrom.result()));
  }

  /** What ClickHouse returned for one trace, row by row. */
  public record TraceRows(String traceId, List<JsonObject> spans, List<JsonObject> logs, List<JsonObject> linkedFrom) {}
}
