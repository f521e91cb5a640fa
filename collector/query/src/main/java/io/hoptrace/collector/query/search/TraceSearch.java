package io.hoptrace.collector.query.search;

import io.hoptrace.collector.query.api.Times;
import io.hoptrace.collector.query.clickhouse.ClickHouseHttp;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds traces in ClickHouse: one query, newest first, paged, with the total count. The SQL is put
 * together from fixed fragments only; every value is a query parameter.
 */
public final class TraceSearch {
  /** Spans of a matching trace are read this far around the range, so traces that cross its edges are whole. */
  static final String SLACK = "INTERVAL 1 HOUR";

  private final ClickHouseHttp clickHouse;

  public TraceSearch(ClickHouseHttp clickHouse) {
    this.clickHouse = clickHouse;
  }

  public Future<JsonObject> search(SearchCriteria c) {
    Map<String, String> params = new HashMap<>(c.range().params());
    List<String> spanFilters = new ArrayList<>();
    c.service().ifPresent(s -> {
      spanFilters.add("ServiceName = {service:String}");
      params.put("service", s);
    });
    c.operation().ifPresent(o -> {
      spanFilters.add("SpanName = {operation:String}");
      params.put("operation", o);
    });
    for (int i = 0; i < c.attributes().size(); i++) {
      AttributeFilter a = c.attributes().get(i);
      spanFilters.add("(SpanAttributes[{ak" + i + ":String}] = {av" + i + ":String} OR ResourceAttributes[{ak" + i + ":String}] = {av" + i + ":String})");
      params.put("ak" + i, a.key());
      params.put("av" + i, a.value());
    }
    List<String> having = new ArrayList<>();
    c.status().ifPresent(s -> having.add(s == SearchCriteria.Status.ERROR ? "errors > 0" : "errors = 0"));
    c.minDurationNanos().ifPresent(n -> {
      having.add("duration_ns >= {min_ns:UInt64}");
      params.put("min_ns", Long.toString(n));
    });
    c.maxDurationNanos().ifPresent(n -> {
      having.add("duration_ns <= {max_ns:UInt64}");
      params.put("max_ns", Long.toString(n));
    });
    params.put("limit", Integer.toString(c.limit()));
    params.put("offset", Integer.toString(c.offset()));

    String sql = "WITH matching AS (\n"
        + "  SELECT DISTINCT TraceId FROM otel_traces\n"
        + "  WHERE Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64}) AND Timestamp < fromUnixTimestamp64Nano({to_ns:Int64})\n"
        + "    AND TraceId != ''\n"
        + spanFilters.stream().map(f -> "    AND " + f + "\n").reduce("", String::concat)
        + ")\n"
        + "SELECT\n"
        + "  TraceId AS traceId,\n"
        + "  min(toUnixTimestamp64Nano(Timestamp)) AS start_ns,\n"
        + "  max(toUnixTimestamp64Nano(Timestamp) + toInt64(Duration)) - start_ns AS duration_ns,\n"
        + "  count() AS spans,\n"
        + "  countIf(StatusCode = 'Error') AS errors,\n"
        + "  arraySort(groupUniqArray(ServiceName)) AS services,\n"
        + "  if(countIf(ParentSpanId = '') > 0, argMinIf(ServiceName, Timestamp, ParentSpanId = ''), argMin(ServiceName, Timestamp)) AS root_service,\n"
        + "  if(countIf(ParentSpanId = '') > 0, argMinIf(SpanName, Timestamp, ParentSpanId = ''), argMin(SpanName, Timestamp)) AS root_operation,\n"
        + "  countIf(ParentSpanId = '') = 0 AS root_missing,\n"
        + "  count() OVER () AS total\n"
        + "FROM otel_traces\n"
        + "WHERE TraceId IN matching\n"
        + "  AND Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64}) - " + SLACK + "\n"
        + "  AND Timestamp < fromUnixTimestamp64Nano({to_ns:Int64}) + " + SLACK + "\n"
        + "GROUP BY TraceId\n"
        + (having.isEmpty() ? "" : "HAVING " + String.join(" AND ", having) + "\n")
        + "ORDER BY start_ns DESC, traceId\n"
        + "LIMIT {limit:UInt32} OFFSET {offset:UInt32}";

    return clickHouse.select(sql, params).map(rows -> {
      JsonArray traces = new JsonArray();
      long total = 0;
      for (JsonObject r : rows) {
        total = r.getLong("total");
        long start = r.getLong("start_ns");
        traces.add(new JsonObject()
            .put("traceId", r.getString("traceId"))
            .put("rootService", r.getString("root_service"))
            .put("rootOperation", r.getString("root_operation"))
            .put("rootMissing", r.getValue("root_missing") instanceof Number n ? n.intValue() != 0 : r.getBoolean("root_missing"))
            .put("services", r.getJsonArray("services"))
            .put("spanCount", r.getLong("spans"))
            .put("errorCount", r.getLong("errors"))
            .put("error", r.getLong("errors") > 0)
            .put("start", Times.iso(start))
            .put("startUnixMicros", start / 1_000)
            .put("durationNs", r.getLong("duration_ns")));
      }
      if (rows.isEmpty() && c.offset() > 0) {
        total = -1; // past the end: the count is unknown from this page alone
      }
      return new JsonObject()
          .put("traces", traces)
          .put("total", total)
          .put("limit", c.limit())
          .put("offset", c.offset())
          .put("from", c.range().fromInstant().toString())
          .put("to", c.range().toInstant().toString());
    });
  }
}
