package io.hoptrace.stack;

import io.hoptrace.config.Env;
import java.util.Arrays;
import java.util.List;

/** The {@code ./stack} command. Wiring only: each command lives in its own class. */
public final class StackMain {
  private StackMain() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "help" : args[0];
    List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    boolean verbose = rest.contains("--verbose") || rest.contains("-v");
    Console console = Console.system(verbose || !"status".equals(command));
    int code;
    try {
      StackConfig config = StackConfig.fromEnv(Env.system());
      code = switch (command) {
        case "up" -> new Lifecycle(config, console).up();
        case "start" -> new Lifecycle(config, console).startInBackground();
        case "stop" -> new Lifecycle(config, console).stop();
        case "status" -> new Lifecycle(config, console).status();
        case "replay" -> new ReplayCommand(config, console).run(rest);
        case "trace" -> new TraceCommand(ExplorerClient.fromEnv(config.env()), console).run(rest);
        case "traces" -> new TracesCommand(ExplorerClient.fromEnv(config.env()), console).run(rest);
        case "retention" -> new RetentionCommand(config, console).run(rest);
        case "bench" -> new BenchCommand(config, console).run(rest);
        case "faults" -> new FaultsCommand(config, console).run(rest);
        case "test-infra" -> new TestInfra(config, console).run(rest);
        case "help", "--help", "-h" -> help(console);
        default -> {
          console.error("unknown command '" + command + "'");
          help(console);
          yield 2;
        }
      };
    } catch (RuntimeException e) {
      console.error(e.getMessage() == null ? e.toString() : e.getMessage());
      if (System.getenv("HOPTRACE_DEBUG") != null) {
        e.printStackTrace();
      }
      code = 1;
    }
    System.exit(code);
  }

  static int help(Console console) {
    console.line(String.join("\n",
        "usage: ./stack <command>",
        "  up        build what is stale, start everything in the foreground, Ctrl-C stops it",
        "  start     the same in the background; returns once all is healthy",
        "  stop      stop what ./stack start (or up) started",
        "  status    what runs where",
        "  bench     benchmarks on private infrastructure, each with its baseline; writes BENCHMARKS.md:",
        "            ./stack bench [ingest|burst|overhead|latency] [--repeats N] [--spans N] [--connections N] [--profile]",
        "  faults    the fault suite: kills and restarts parts under load, fuzzes the inputs, accounts exactly: ./stack faults [--short] [--seed N] [--only clickhouse,kafka,ingester,inventory,poison,fuzz] [--keep]",
        "  replay    re-deliver a range of a topic to its consumers: ./stack replay <topic> --from <time|earliest> [--to <time>]",
        "  trace     one trace as a waterfall in the terminal: ./stack trace <traceId>",
        "  traces    recent traces: ./stack traces [--service order] [--status error] [--last 10m]",
        "  retention show the TTL of every telemetry table, configured vs in force; --apply applies it",
        "  test      run every test (unit, integration, browser)",
        "see README.md for the environment variables"));
    return 0;
  }
}
