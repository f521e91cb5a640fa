package io.hoptrace.collector.query.search;

import io.hoptrace.collector.query.api.TimeRange;
import io.hoptrace.collector.query.clickhouse.ClickHouseHttp;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** The services and operations seen in a time range: what the search form offers. */
public final class ServiceCatalog {
  private final ClickHouseHttp clickHouse;

  public ServiceCatalog(ClickHouseHttp clickHouse) {
    this.clickHouse = clickHouse;
  }

  public Future<JsonObject> services(TimeRange range) {
    String sql = "SELECT ServiceName AS service, count() AS spans FROM otel_traces\n"
        + "WHERE Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64}) AND Timestamp < fromUnixTimestamp64Nano({to_ns:Int64})\n"
        + "GROUP BY ServiceName ORDER BY ServiceName LIMIT 1000";
    return clickHouse.select(sql, range.params()).map(rows -> {
      JsonArray services = new JsonArray();
      rows.forEach(r -> services.add(new JsonObject().put("name", r.getString("service")).put("spanCount", r.getLong("spans"))));
      return new JsonObject().put("services", services);
    });
  }

  public Future<JsonObject> operations(String service, TimeRange range) {
    Map<String, String> params = new HashMap<>(range.params());
    params.put("service", service);
    String sql = "SELECT SpanName AS name, SpanKind AS kind, count() AS spans FROM otel_traces\n"
        + "WHERE ServiceName = {service:String}\n"
        + "  AND Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64}) AND Timestamp < fromUnixTimestamp64Nano({to_ns:Int64})\n"
        + "GROUP BY SpanName, SpanKind ORDER BY SpanName, SpanKind LIMIT 1000";
    return clickHouse.select(sql, params).map(rows -> {
      JsonArray ops = new JsonArray();
      rows.forEach(r -> ops.add(new JsonObject().put("name", r.getString("name")).put("kind", r.getString("kind"))
          .put("spanCount", r.getLong("spans"))));
      return new JsonObject().put("service", service).put("operations", ops);
    });
  }
}
