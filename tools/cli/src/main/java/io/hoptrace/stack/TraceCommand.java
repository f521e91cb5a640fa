package io.hoptrace.stack;

import io.hoptrace.load.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ./stack trace <traceId>}: one trace as a terminal waterfall (offset, duration, status, a bar,
 * then the span tree indented with service, kind, operation and, for Kafka spans, topic, partition
 * and offset), its Kafka hops and its log lines. Reads {@code GET /api/traces/{traceId}}.
 */
@Command(name = "trace", mixinStandardHelpOptions = true, header = "One trace as a waterfall in the terminal, with its Kafka hops and log lines.",
    description = "Reads the trace explorer (HOPTRACE_EXPLORER_URL, default the stack's).")
final class TraceCommand implements Callable<Integer> {
  static final int BAR = 32;

  @ParentCommand
  StackCommand root;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "<traceId>", description = "32 hex digits, e.g. the traceId of an /order-product answer.")
  String traceId;

  @Override
  public Integer call() {
    String id = traceId.trim();
    if (!id.matches("[0-9a-fA-F]{32}")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "'" + id + "' is not a trace id: 32 hexadecimal digits");
    }
    ExplorerClient explorer = ExplorerClient.fromEnv(root.env());
    render(explorer, explorer.get("/api/traces/" + id.toLowerCase(Locale.ROOT))).forEach(root.console()::line);
    return 0;
  }

  static List<String> render(ExplorerClient explorer, Json.Obj t) {
    List<String> out = new java.util.ArrayList<>();
    List<Json.Obj> spans = t.objects("spans");
    Json.Obj root = spans.get(0);
    long total = Math.max(1, t.number("durationNs"));
    int errors = t.integer("errorCount");
    out.add("trace " + t.string("traceId") + "  " + root.string("service") + ": " + root.string("name"));
    out.add("  started " + Format.time(t.string("start")) + ", " + Format.duration(t.number("durationNs")) + ", "
        + t.integer("spanCount") + " spans, services " + String.join(", ", t.strings("services"))
        + ", " + t.array("hops").size() + " Kafka hops, " + (errors == 0 ? "no errors" : errors + " error spans"));
    out.add("  " + explorer.baseUrl() + "/trace/" + t.string("traceId"));
    out.add("");
    out.add(String.format("%10s %10s  %-6s %-" + (BAR + 2) + "s %s", "OFFSET", "DURATION", "STATUS", "WATERFALL", "SPAN"));
    Map<String, Json.Obj> hopByConsumer = new HashMap<>();
    t.objects("hops").forEach(h -> hopByConsumer.put(h.string("consumerSpanId"), h));
    for (Json.Obj s : spans) {
      long offset = s.number("offsetNs");
      long duration = s.number("durationNs");
      String code = s.obj("status").string("code");
      String status = "Error".equals(code) ? "ERROR" : code.toLowerCase(Locale.ROOT);
      StringBuilder span = new StringBuilder("  ".repeat(s.integer("depth")))
          .append(s.string("service")).append(' ').append(s.string("kind").toUpperCase(Locale.ROOT)).append(' ').append(s.string("name"));
      Json.Obj m = s.obj("messaging");
      if (m != null && m.string("topic") != null) {
        span.append("  [topic ").append(m.string("topic"));
        if (m.string("partition") != null) {
          span.append(" p").append(m.string("partition"));
        }
        if (m.string("offset") != null) {
          span.append(" @").append(m.string("offset"));
        }
        span.append(']');
      }
      Json.Obj hop = hopByConsumer.get(s.string("spanId"));
      if (hop != null) {
        span.append("  waited ").append(Format.duration(hop.number("waitNs"))).append(" in Kafka");
      }
      out.add(String.format("%10s %10s  %-6s %s %s", Format.offset(offset), Format.duration(duration), status,
          bar(offset, duration, total), span));
    }
    List<Json.Obj> logs = t.objects("logs");
    if (!logs.isEmpty()) {
      out.add("");
      out.add("logs:");
      for (Json.Obj l : logs) {
        out.add(String.format("%10s  %-5s %-10s %s", Format.offset(l.number("offsetNs")), l.string("severity"), l.string("service"),
            l.string("body")));
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
