package io.hoptrace.stack;

import io.hoptrace.load.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./stack traces}: recent traces, newest first, from {@code GET /api/traces}. The explorer validates the values. */
@Command(name = "traces", mixinStandardHelpOptions = true, header = "Recent traces, newest first.",
    description = "Reads the trace explorer (HOPTRACE_EXPLORER_URL, default the stack's).")
final class TracesCommand implements Callable<Integer> {
  @ParentCommand
  StackCommand root;

  @Option(names = "--service", paramLabel = "NAME", description = "Only traces with a span of this service, e.g. order.")
  String service;

  @Option(names = "--operation", paramLabel = "NAME", description = "Only traces with a span of this name, e.g. 'POST /order-product'.")
  String operation;

  @Option(names = "--status", paramLabel = "error|ok", description = "Only traces with (or without) an error span.")
  String status;

  @Option(names = "--last", paramLabel = "AGE", defaultValue = "15m", description = "How far back: 10m, 2h, 7d (default: ${DEFAULT-VALUE}).")
  String last;

  @Option(names = "--limit", paramLabel = "N", description = "At most this many traces, up to 100 (default: the explorer's, 20).")
  Integer limit;

  @Override
  public Integer call() {
    List<String> query = new ArrayList<>();
    if (service != null) {
      query.add("service=" + enc(service));
    }
    if (operation != null) {
      query.add("operation=" + enc(operation));
    }
    if (status != null) {
      query.add("status=" + enc(status));
    }
    if (limit != null) {
      query.add("limit=" + limit);
    }
    query.add("lookback=" + enc(last));
    ExplorerClient explorer = ExplorerClient.fromEnv(root.env());
    Json.Obj r = explorer.get("/api/traces?" + String.join("&", query));
    List<Json.Obj> traces = r.objects("traces");
    Console console = root.console();
    if (traces.isEmpty()) {
      console.line("no traces in the last " + last + " that match; widen with --last 1h, or see ./stack status");
      return 0;
    }
    console.line(String.format("%-23s  %-32s  %10s  %5s  %-5s  %s", "STARTED", "TRACE ID", "DURATION", "SPANS", "ERROR", "ROOT (SERVICES)"));
    for (Json.Obj t : traces) {
      console.line(String.format("%-23s  %-32s  %10s  %5d  %-5s  %s: %s (%s)", Format.time(t.string("start")), t.string("traceId"),
          Format.duration(t.number("durationNs")), t.number("spanCount"), t.bool("error") ? "ERROR" : "-",
          t.string("rootService"), t.string("rootOperation"), String.join(", ", t.strings("services"))));
    }
    long total = r.number("total");
    console.line(total + (total == 1 ? " trace" : " traces") + (total > traces.size() ? ", newest " + traces.size() + " shown (--limit up to 100)" : "")
        + "; ./stack trace <TRACE ID> shows one, " + explorer.baseUrl() + "/trace/<TRACE ID> too");
    return 0;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
