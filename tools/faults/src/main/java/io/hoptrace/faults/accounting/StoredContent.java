package io.hoptrace.faults.accounting;

import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.probe.ClickHouseQuery;
import io.hoptrace.load.json.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Compares the content of a sample of stored spans with what was sent: ids, name, kind, status and its
 * message, start and duration, service and scope, span and resource attributes, events (time, name,
 * attributes). Span ids alone would pass a row with a wrong status or attribute.
 */
public final class StoredContent {
  private static final HexFormat HEX = HexFormat.of();

  private StoredContent() {}

  /** A span as the contract table should hold it, from the request that was sent. */
  public record Expected(String spanId, Map<String, Object> columns) {}

  /** The rows the sent spans of {@code request} should be, keyed by span id (hex). */
  public static Map<String, Expected> expected(byte[] request) {
    Map<String, Expected> out = new LinkedHashMap<>();
    try {
      ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(request);
      for (ResourceSpans rs : req.getResourceSpansList()) {
        Map<String, String> resource = strings(rs.getResource().getAttributesList());
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("TraceId", HEX.formatHex(s.getTraceId().toByteArray()));
            c.put("ParentSpanId", HEX.formatHex(s.getParentSpanId().toByteArray()));
            c.put("SpanName", s.getName());
            c.put("SpanKind", kind(s.getKind()));
            c.put("ServiceName", resource.getOrDefault("service.name", ""));
            c.put("ScopeName", ss.getScope().getName());
            c.put("StatusCode", status(s.getStatus().getCode()));
            c.put("StatusMessage", s.getStatus().getMessage());
            c.put("ts", Long.toString(s.getStartTimeUnixNano()));
            c.put("Duration", Long.toString(s.getEndTimeUnixNano() - s.getStartTimeUnixNano()));
            c.put("SpanAttributes", new TreeMap<>(strings(s.getAttributesList())));
            c.put("ResourceAttributes", new TreeMap<>(resource));
            c.put("EventTimes", s.getEventsList().stream().map(e -> Long.toString(e.getTimeUnixNano())).toList());
            c.put("EventNames", s.getEventsList().stream().map(Span.Event::getName).toList());
            c.put("EventAttributes", s.getEventsList().stream().map(e -> (Object) new TreeMap<>(strings(e.getAttributesList()))).toList());
            String id = HEX.formatHex(s.getSpanId().toByteArray());
            out.put(id, new Expected(id, c));
          }
        }
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("a sampled request does not parse", e);
    }
    return out;
  }

  /** The columns {@link #differences} compares, as the query selects them (JSONEachRow). */
  static final String COLUMNS = "SpanId, TraceId, ParentSpanId, SpanName, SpanKind, ServiceName, ScopeName, StatusCode, StatusMessage,"
      + " toString(toUnixTimestamp64Nano(Timestamp)) AS ts, toString(Duration) AS Duration, SpanAttributes, ResourceAttributes,"
      + " arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS EventTimes, Events.Name AS EventNames,"
      + " Events.Attributes AS EventAttributes";

  /** What differs between a stored row and the span sent; empty when they are the same. */
  public static List<String> differences(Expected sent, Json.Obj stored) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : sent.columns().entrySet()) {
      Object want = e.getValue();
      Object got = normalized(stored.map().get(e.getKey()));
      if (!want.equals(got)) {
        out.add("span " + sent.spanId() + " " + e.getKey() + ": stored " + got + ", sent " + want);
      }
    }
    return out;
  }

  /**
   * Checks the sampled requests against ClickHouse: every span of them stored with the content sent.
   * Records figures and one check in {@code result}.
   */
  public static void check(ClickHouseQuery ch, String serviceName, List<byte[]> samples, ScenarioResult result) {
    Map<String, Expected> sent = new LinkedHashMap<>();
    samples.forEach(r -> sent.putAll(expected(r)));
    List<String> wrong = new ArrayList<>();
    long events = sent.values().stream().mapToLong(x -> ((List<?>) x.columns().get("EventNames")).size()).sum();
    List<String> ids = new ArrayList<>(sent.keySet());
    Map<String, Json.Obj> stored = new LinkedHashMap<>();
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      String in = chunk.stream().map(ClickHouseQuery::quote).collect(Collectors.joining(","));
      for (String line : ch.lines("SELECT " + COLUMNS + " FROM otel_traces WHERE ServiceName = " + ClickHouseQuery.quote(serviceName)
          + " AND SpanId IN (" + in + ") FORMAT JSONEachRow")) {
        Json.Obj o = Json.object(line);
        stored.put(o.string("SpanId"), o);
      }
    }
    for (Expected e : sent.values()) {
      Json.Obj o = stored.get(e.spanId());
      if (o == null) {
        wrong.add("span " + e.spanId() + " not stored");
      } else {
        wrong.addAll(differences(e, o));
      }
    }
    result.figure("content compared (spans of sampled requests)", sent.size());
    result.figure("  of which with events", events);
    result.figure("content differences", wrong.size());
    result.check("a sample of stored spans equals what was sent (attributes, timestamps, status, events)",
        !sent.isEmpty() && wrong.isEmpty(),
        sent.isEmpty() ? "no acknowledged request sampled" : wrong.size() + " differences" + (wrong.isEmpty() ? "" : ", first: " + wrong.get(0)));
  }

  private static Object normalized(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, String> sorted = new TreeMap<>();
      m.forEach((k, x) -> sorted.put(String.valueOf(k), String.valueOf(x)));
      return sorted;
    }
    if (v instanceof Json.Obj o) {
      return normalized(o.map());
    }
    if (v instanceof List<?> l) {
      return l.stream().map(StoredContent::normalized).toList();
    }
    return v;
  }

  private static Map<String, String> strings(List<KeyValue> attributes) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      AnyValue v = kv.getValue();
      out.put(kv.getKey(), switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case INT_VALUE -> Long.toString(v.getIntValue());
        case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
        default -> throw new IllegalArgumentException("the load sends string, int and bool attributes only: " + kv.getKey());
      });
    }
    return out;
  }

  private static String kind(Span.SpanKind k) {
    return switch (k) {
      case SPAN_KIND_SERVER -> "Server";
      case SPAN_KIND_CLIENT -> "Client";
      case SPAN_KIND_PRODUCER -> "Producer";
      case SPAN_KIND_CONSUMER -> "Consumer";
      case SPAN_KIND_INTERNAL -> "Internal";
      default -> "Unspecified";
    };
  }

  private static String status(Status.StatusCode c) {
    return switch (c) {
      case STATUS_CODE_OK -> "Ok";
      case STATUS_CODE_ERROR -> "Error";
      default -> "Unset";
    };
  }
}
