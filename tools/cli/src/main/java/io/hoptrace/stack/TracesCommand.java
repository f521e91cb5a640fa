package io.hoptrace.stack;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./stack traces [--service S] [--operation O] [--status error|ok] [--last 10m] [--limit N]}:
 * recent traces, newest first, from {@code GET /api/traces}. The explorer validates the values.
 */
final class TracesCommand {
  static final String USAGE = "usage: ./stack traces [--service order] [--operation 'POST /order-product'] [--status error|ok]"
      + " [--last 10m] [--limit 20]";

  private final ExplorerClient explorer;
  private final Console console;

  TracesCommand(ExplorerClient explorer, Console console) {
    this.explorer = explorer;
    this.console = console;
  }

  int run(List<String> args) {
    List<String> query = new ArrayList<>();
    String last = "15m";
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--service" -> query.add("service=" + enc(value(args, ++i, a)));
        case "--operation" -> query.add("operation=" + enc(value(args, ++i, a)));
        case "--status" -> query.add("status=" + enc(value(args, ++i, a)));
        case "--last" -> last = value(args, ++i, a);
        case "--limit" -> query.add("limit=" + enc(value(args, ++i, a)));
        case "-v", "--verbose" -> { }
        default -> throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + USAGE);
      }
    }
    query.add("lookback=" + enc(last));
    JsonObject r = explorer.get("/api/traces?" + String.join("&", query));
    JsonArray traces = r.getJsonArray("traces");
    if (traces.isEmpty()) {
      console.line("no traces in the last " + last + " that match; widen with --last 1h, or see ./stack status");
      return 0;
    }
    console.line(String.format("%-23s  %-32s  %10s  %5s  %-5s  %s", "STARTED", "TRACE ID", "DURATION", "SPANS", "ERROR", "ROOT (SERVICES)"));
    for (int i = 0; i < traces.size(); i++) {
      JsonObject t = traces.getJsonObject(i);
      console.line(String.format("%-23s  %-32s  %10s  %5d  %-5s  %s: %s (%s)", Format.time(t.getString("start")), t.getString("traceId"),
          Format.duration(t.getLong("durationNs")), t.getLong("spanCount"), t.getBoolean("error") ? "ERROR" : "-",
          t.getString("rootService"), t.getString("rootOperation"),
          String.join(", ", t.getJsonArray("services").stream().map(String::valueOf).toList())));
    }
    long total = r.getLong("total");
    console.line(total + (total == 1 ? " trace" : " traces") + (total > traces.size() ? ", newest " + traces.size() + " shown (--limit up to 100)" : "")
        + "; ./stack trace <TRACE ID> shows one, " + explorer.baseUrl() + "/trace/<TRACE ID> too");
    return 0;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String value(List<String> args, int i, String flag) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
    }
    return args.get(i);
  }
}
