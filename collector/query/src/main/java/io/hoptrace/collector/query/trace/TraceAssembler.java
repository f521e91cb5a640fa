package io.hoptrace.collector.query.trace;

import io.hoptrace.collector.query.api.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the rows of one trace into what the trace page and {@code ./stack trace} show: spans in
 * depth-first order (siblings by start time) with their depth, offsets from the trace start, the
 * Kafka hops (producer span to consumer span) and the log lines.
 */
public final class TraceAssembler {
  private TraceAssembler() {}

  public static JsonObject assemble(TraceReader.TraceRows rows) {
    // at-least-once ingestion may briefly show a span twice: keep the first copy
    Map<String, JsonObject> byId = new LinkedHashMap<>();
    for (JsonObject r : rows.spans()) {
      byId.putIfAbsent(r.getString("SpanId"), r);
    }
    boolean truncated = byId.size() > TraceReader.MAX_SPANS;
    List<JsonObject> spans = new ArrayList<>(byId.values()).subList(0, Math.min(byId.size(), TraceReader.MAX_SPANS));
    long start = spans.stream().mapToLong(s -> s.getLong("start_ns")).min().orElse(0);
    long end = spans.stream().mapToLong(s -> s.getLong("start_ns") + s.getLong("Duration")).max().orElse(0);

    Map<String, List<JsonObject>> children = new HashMap<>();
    List<JsonObject> roots = new ArrayList<>();
    for (JsonObject s : spans) {
      String parent = s.getString("ParentSpanId");
      if (parent.isEmpty() || !byId.containsKey(parent) || parent.equals(s.getString("SpanId"))) {
        roots.add(s);
      } else {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(s);
      }
    }
    Comparator<JsonObject> byStart = Comparator.comparingLong((JsonObject s) -> s.getLong("start_ns"))
        .thenComparing(s -> s.getString("SpanId"));
    roots.sort(byStart);
    children.values().forEach(l -> l.sort(byStart));

    JsonArray out = new JsonArray();
    Set<String> visited = new HashSet<>();
    Set<String> services = new LinkedHashSet<>();
    int errors = 0;
    Deque<Object[]> stack = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.push(new Object[] {roots.get(i), 0});
    }
    while (!stack.isEmpty()) {
      Object[] top = stack.pop();
      JsonObject s = (JsonObject) top[0];
      int depth = (Integer) top[1];
      if (!visited.add(s.getString("SpanId"))) {
        continue;
      }
      List<JsonObject> kids = children.getOrDefault(s.getString("SpanId"), List.of());
      out.add(span(s, depth, kids.size(), start, byId));
      services.add(s.getString("ServiceName"));
      if ("Error".equals(s.getString("StatusCode"))) {
        errors++;
      }
      for (int i = kids.size() - 1; i >= 0; i--) {
        stack.push(new Object[] {kids.get(i), depth + 1});
      }
    }
    // spans caught in a parent cycle are never reached from a root: show them as roots, not drop them
    for (JsonObject s : spans) {
      if (visited.add(s.getString("SpanId"))) {
        out.add(span(s, 0, 0, start, byId));
      }
    }

    return new JsonObject()
        .put("traceId", rows.traceId())
        .put("start", Times.iso(start))
        .put("startUnixMicros", start / 1_000)
        .put("durationNs", end - start)
        .put("spanCount", spans.size())
        .put("errorCount", errors)
        .put("services", new JsonArray(new ArrayList<>(services)))
        .put("truncated", truncated)
        .put("spans", out)
        .put("hops", KafkaHops.find(spans, byId))
        .put("logs", logs(rows.logs(), start))
        .put("linkedFrom", linkedFrom(rows.linkedFrom()));
  }

  private static JsonObject span(JsonObject s, int depth, int childCount, long traceStart, Map<String, JsonObject> byId) {
    long startNs = s.getLong("start_ns");
    String parent = s.getString("ParentSpanId");
    JsonObject attributes = s.getJsonObject("SpanAttributes", new JsonObject());
    JsonObject json = new JsonObject()
        .put("spanId", s.getString("SpanId"))
        .put("parentSpanId", parent)
        .put("parentMissing", !parent.isEmpty() && !byId.containsKey(parent))
        .put("depth", depth)
        .put("childCount", childCount)
        .put("service", s.getString("ServiceName"))
        .put("name", s.getString("SpanName"))
        .put("kind", s.getString("SpanKind"))
        .put("start", Times.iso(startNs))
        .put("offsetNs", startNs - traceStart)
        .put("durationNs", s.getLong("Duration"))
        .put("status", new JsonObject().put("code", s.getString("StatusCode")).put("message", s.getString("StatusMessage")))
        .put("attributes", attributes)
        .put("resource", s.getJsonObject("ResourceAttributes", new JsonObject()))
        .put("scope", new JsonObject().put("name", s.getString("ScopeName")).put("version", s.getString("ScopeVersion")))
        .put("traceState", s.getString("TraceState"))
        .put("events", events(s, traceStart))
        .put("links", links(s));
    JsonObject messaging = KafkaHops.messaging(attributes);
    if (messaging != null) {
      json.put("messaging", messaging);
    }
    return json;
  }

  private static JsonArray events(JsonObject s, long traceStart) {
    JsonArray times = s.getJsonArray("event_ns", new JsonArray());
    JsonArray names = s.getJsonArray("event_names", new JsonArray());
    JsonArray attrs = s.getJsonArray("event_attributes", new JsonArray());
    JsonArray out = new JsonArray();
    for (int i = 0; i < times.size(); i++) {
      long t = times.getLong(i);
      out.add(new JsonObject().put("name", names.getString(i)).put("time", Times.iso(t)).put("offsetNs", t - traceStart)
          .put("attributes", i < attrs.size() ? attrs.getJsonObject(i) : new JsonObject()));
    }
    return out;
  }

  private static JsonArray links(JsonObject s) {
    JsonArray traceIds = s.getJsonArray("link_trace_ids", new JsonArray());
    JsonArray spanIds = s.getJsonArray("link_span_ids", new JsonArray());
    JsonArray states = s.getJsonArray("link_states", new JsonArray());
    JsonArray attrs = s.getJsonArray("link_attributes", new JsonArray());
    JsonArray out = new JsonArray();
    for (int i = 0; i < traceIds.size(); i++) {
      out.add(new JsonObject().put("traceId", traceIds.getString(i)).put("spanId", spanIds.getString(i))
          .put("traceState", i < states.size() ? states.getString(i) : "")
          .put("attributes", i < attrs.size() ? attrs.getJsonObject(i) : new JsonObject()));
    }
    return out;
  }

  private static JsonArray logs(List<JsonObject> rows, long traceStart) {
    JsonArray out = new JsonArray();
    for (JsonObject r : rows) {
      long t = r.getLong("time_ns");
      out.add(new JsonObject()
          .put("time", Times.iso(t))
          .put("offsetNs", t - traceStart)
          .put("service", r.getString("ServiceName"))
          .put("severity", r.getString("SeverityText"))
          .put("severityNumber", r.getInteger("SeverityNumber"))
          .put("spanId", r.getString("SpanId"))
          .put("body", r.getString("Body"))
          .put("attributes", r.getJsonObject("LogAttributes", new JsonObject())));
    }
    return out;
  }

  private static JsonArray linkedFrom(List<JsonObject> rows) {
    JsonArray out = new JsonArray();
    for (JsonObject r : rows) {
      out.add(new JsonObject().put("traceId", r.getString("TraceId")).put("spanId", r.getString("SpanId"))
          .put("service", r.getString("ServiceName")).put("name", r.getString("SpanName"))
          .put("start", Times.iso(r.getLong("start_ns"))).put("linkedSpanId", r.getString("linked_span_id")));
    }
    return out;
  }
}
