package io.hoptrace.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where an order's time goes, from the timestamps of its five spans in ClickHouse: order's HTTP
 * SERVER span, its PRODUCER span (from the hand-over to the publisher until Kafka acknowledged the
 * request, before the commit), inventory's CONSUMER span (from the poll that returned the request
 * until the stock transaction committed), order's CONSUMER span of the result and the end of the
 * SERVER span. All processes run on one machine, one clock.
 */
final class OrderSpans {
  /** The segments of an order, in the order they happen; each is the time between two span timestamps. */
  static final List<String> SEGMENTS = List.of(
      "order: request read, handed to the publisher",
      "order: waiting for the publisher, send, acknowledged",
      "order's commit + inventory's fetch and poll",
      "inventory: decide, send, offsets, commit",
      "inventory's commit → order's reader has the result",
      "order: result → HTTP answer",
      "client ↔ order's SERVER span: connection, queueing, answer transfer");

  private OrderSpans() {}

  /**
   * The median of each segment over the traces given (those whose five spans are not all visible
   * within {@code wait} are left out); empty when none is. {@code latencyByTrace}: the client's
   * latency of each order in ms, for the last segment (the time outside order's SERVER span).
   */
  static Map<String, Double> medians(ClickHouseHttp ch, String database, List<String> traceIds, Map<String, Double> latencyByTrace,
      Duration wait) {
    Map<String, List<Double>> bySegment = new LinkedHashMap<>();
    SEGMENTS.forEach(s -> bySegment.put(s, new ArrayList<>()));
    if (traceIds.isEmpty()) {
      return Map.of();
    }
    String ids = traceIds.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
    long deadline = System.nanoTime() + wait.toNanos();
    Map<String, Spans> traces = Map.of();
    while (System.nanoTime() < deadline) {
      traces = read(ch, database, ids);
      if (traces.values().stream().filter(Spans::complete).count() >= traceIds.size()) {
        break;
      }
      ClickHouseHttp.sleep(200);
    }
    for (Map.Entry<String, Spans> e : traces.entrySet()) {
      Spans t = e.getValue();
      if (!t.complete()) {
        continue;
      }
      double[] seg = t.segments(latencyByTrace.getOrDefault(e.getKey(), Double.NaN));
      for (int i = 0; i < seg.length; i++) {
        if (!Double.isNaN(seg[i])) {
          bySegment.get(SEGMENTS.get(i)).add(seg[i]);
        }
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    bySegment.forEach((s, v) -> {
      if (!v.isEmpty()) {
        medians.put(s, Stats.percentile(v.stream().mapToDouble(Double::doubleValue).toArray(), 50));
      }
    });
    return medians;
  }

  static String format(Map<String, Double> medians) {
    return medians.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
        .collect(Collectors.joining("; "));
  }

  private static Map<String, Spans> read(ClickHouseHttp ch, String database, String ids) {
    String rows = ch.query("SELECT TraceId, ServiceName, SpanKind, toUnixTimestamp64Nano(Timestamp), Duration FROM " + database
        + ".otel_traces WHERE TraceId IN (" + ids + ") AND SpanKind IN ('Server', 'Producer', 'Consumer') FORMAT TabSeparated");
    Map<String, Spans> traces = new HashMap<>();
    for (String line : rows.split("\n")) {
      String[] f = line.split("\t");
      if (f.length < 5) {
        continue;
      }
      long start = Long.parseLong(f[3]);
      long end = start + Long.parseLong(f[4]);
      Spans t = traces.computeIfAbsent(f[0], k -> new Spans());
      switch (f[1] + "/" + f[2]) {
        case "order/Server" -> { t.serverStart = start; t.serverEnd = end; }
        case "order/Producer" -> { t.publishStart = start; t.publishEnd = end; }
        case "inventory/Consumer" -> { t.decideStart = start; t.decideEnd = end; }
        case "order/Consumer" -> t.resultStart = start;
        default -> { } // inventory's PRODUCER span of the result lies within its CONSUMER span
      }
    }
    return traces;
  }

  /** The timestamps of one order's spans, in nanoseconds since the epoch (0: not seen yet). */
  private static final class Spans {
    long serverStart;
    long serverEnd;
    long publishStart;
    long publishEnd;
    long decideStart;
    long decideEnd;
    long resultStart;

    boolean complete() {
      return serverStart != 0 && publishStart != 0 && decideStart != 0 && resultStart != 0;
    }

    /** The segments in ms; the last is NaN when the client's latency is unknown. */
    double[] segments(double clientMillis) {
      long[] at = {serverStart, publishStart, publishEnd, decideStart, decideEnd, resultStart, serverEnd};
      double[] seg = new double[at.length];
      for (int i = 0; i < at.length - 1; i++) {
        seg[i] = (at[i + 1] - at[i]) / 1e6;
      }
      seg[at.length - 1] = clientMillis - (serverEnd - serverStart) / 1e6;
      return seg;
    }
  }
}
