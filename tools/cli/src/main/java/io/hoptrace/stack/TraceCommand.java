package io.hoptrace.stack;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./stack trace <traceId>}: one trace as a terminal waterfall (offset, duration, status, a bar,
 * then the span tree indented with service, kind, operation and, for Kafka spans, topic, partition
 * and offset), its Kafka hops and its log lines. Reads {@code GET /api/traces/{traceId}}.
 */
final class TraceCommand {
  static final String USAGE = "usage: ./stack trace <traceId>   (32 hex digits, e.g. the traceId in an /order-product answer)";
  static final int BAR = 32;

  private final ExplorerClient explorer;
  private final Console console;

  TraceCommand(ExplorerClient explorer, Console console) {
    this.explorer = explorer;
    this.console = console;
  }

  int run(List<String> args) {
    List<String> ids = args.stream().filter(a -> !a.equals("-v") && !a.equals("--verbose")).toList();
    if (ids.size() != 1) {
      throw new IllegalArgumentException((ids.isEmpty() ? "which trace?" : "one trace id, please") + "\n" + USAGE);
    }
    String id = ids.get(0).trim();
    if (!id.matches("[0-9a-fA-F]{32}")) {
      throw new IllegalArgumentException("'" + id + "' is not a trace id: 32 hexadecimal digits\n" + USAGE);
    }
    JsonObject trace = explorer.get("/api/traces/" + id.toLowerCase());
    render(trace).forEach(console::line);
    return 0;
  }

  List<String> render(JsonObject t) {
    List<String> out = new java.util.ArrayList<>();
    JsonArray spans = t.getJsonArray("spans");
    JsonObject root = spans.getJsonObject(0);
    long total = Math.max(1, t.getLong("durationNs"));
    out.add("trace " + t.getString("traceId") + "  " + root.getString("service") + ": " + root.getString("name"));
    out.add("  started " + Format.time(t.getString("start")) + ", " + Format.duration(t.getLong("durationNs")) + ", "
        + t.getInteger("spanCount") + " spans, services " + String.join(", ", t.getJsonArray("services").stream().map(String::valueOf).toList())
        + ", " + t.getJsonArray("hops").size() + " Kafka hops, " + (t.getInteger("errorCount") == 0 ? "no errors" : t.getInteger("errorCount") + " error spans"));
    out.add("  " + explorer.baseUrl() + "/trace/" + t.getString("traceId"));
    out.add("");
    out.add(String.format("%10s %10s  %-6s %-" + (BAR + 2) + "s %s", "OFFSET", "DURATION", "STATUS", "WATERFALL", "SPAN"));
    Map<String, JsonObject> hopByConsumer = new HashMap<>();
    t.getJsonArray("hops").forEach(h -> hopByConsumer.put(((JsonObject) h).getString("consumerSpanId"), (JsonObject) h));
    for (int i = 0; i < spans.size(); i++) {
      JsonObject s = spans.getJsonObject(i);
      long offset = s.getLong("offsetNs");
      long duration = s.getLong("durationNs");
      String code = s.getJsonObject("status").getString("code");
      String status = "Error".equals(code) ? "ERROR" : code.toLowerCase(java.util.Locale.ROOT);
      StringBuilder span = new StringBuilder("  ".repeat(s.getInteger("depth")))
          .append(s.getString("service")).append(' ').append(s.getString("kind").toUpperCase()).append(' ').append(s.getString("name"));
      JsonObject m = s.getJsonObject("messaging");
      if (m != null && m.getString("topic") != null) {
        span.append("  [topic ").append(m.getString("topic"));
        if (m.getString("partition") != null) {
          span.append(" p").append(m.getString("partition"));
        }
        if (m.getString("offset") != null) {
          span.append(" @").append(m.getString("offset"));
        }
        span.append(']');
      }
      JsonObject hop = hopByConsumer.get(s.getString("spanId"));
      if (hop != null) {
        span.append("  waited ").append(Format.duration(hop.getLong("waitNs"))).append(" in Kafka");
      }
      out.add(String.format("%10s %10s  %-6s %s %s", Format.offset(offset), Format.duration(duration), status,
          bar(offset, duration, total), span));
    }
    JsonArray logs = t.getJsonArray("logs");
    if (!logs.isEmpty()) {
      out.add("");
      out.add("logs:");
      for (int i = 0; i < logs.size(); i++) {
        JsonObject l = logs.getJsonObject(i);
        out.add(String.format("%10s  %-5s %-10s %s", Format.offset(l.getLong("offsetNs")), l.getString("severity"), l.getString("service"),
            l.getString("body")));
      }
    }
    return out;
  }

  static String bar(long offset, long duration, long total) {
    int start = (int) Math.min(BAR - 1, offset * BAR / total);
    int end = (int) Math.min(BAR, Math.max(start + 1, Math.round((double) (offset + duration) * BAR / total)));
    return "|" + " ".repeat(start) + "#".repeat(end - start) + " ".repeat(BAR - end) + "|";
  }
}
