package io.hoptrace.stack;

import io.hoptrace.bench.Benchmarks;
import io.hoptrace.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code ./stack bench}: the bench module's benchmarks, each with its baseline in the same run, on a private stack. */
@Command(name = "bench", mixinStandardHelpOptions = true, header = "Benchmarks, each with its baseline in the same run; writes BENCHMARKS.md and BENCHMARKS.json.",
    description = "On a private Kafka and ClickHouse (free ports, a temporary folder), so a running stack is untouched. A partial "
        + "run writes <data>/bench/BENCHMARKS-<names>.md instead.")
final class BenchCommand implements Callable<Integer> {
  @ParentCommand
  StackCommand root;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "BENCHMARK", description = "ingest, burst, overhead, latency, orders, inventory-scale, startup or all (default: all).")
  List<String> names = new ArrayList<>();

  @Option(names = "--repeats", paramLabel = "N", defaultValue = "5", description = "Measured runs per benchmark (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--spans", paramLabel = "N", defaultValue = "600000", description = "Spans per ingest run (default: ${DEFAULT-VALUE}).")
  long spans;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "4", description = "OTLP connections of the load generator (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--profile", description = "Profile the collector (async-profiler) during an extra ingest run, the services during an extra overhead run.")
  boolean profile;

  @Option(names = "--quiet-wait", paramLabel = "DURATION", defaultValue = "5m",
      description = "How long to wait for a quiet machine before each measurement (default: ${DEFAULT-VALUE}).")
  String quietWait;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the report.")
  Path out;

  @Option(names = "--keep", description = "Keep the run's folder (logs, profiles).")
  boolean keep;

  @Option(names = "--history", paramLabel = "N", split = ",", defaultValue = "10000,100000,1000000",
      description = "Orders of history the startup benchmark fills and starts the services with (default: ${DEFAULT-VALUE}).")
  List<Long> history = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Set<String> selected = new LinkedHashSet<>();
    for (String n : names) {
      if (n.equals("all")) {
        selected.addAll(Benchmarks.ALL);
      } else if (Benchmarks.ALL.contains(n)) {
        selected.add(n);
      } else {
        throw usage("unknown benchmark '" + n + "'; benchmarks: " + String.join(", ", Benchmarks.ALL) + ", all");
      }
    }
    for (long n : new long[] {repeats, spans, connections}) {
      if (n < 1) {
        throw usage("--repeats, --spans and --connections need a positive whole number, not " + n);
      }
    }
    for (long n : history) {
      if (n < 1 || n > 100_000_000) {
        throw usage("--history takes orders of history from 1 to 100,000,000, not " + n);
      }
    }
    Duration quiet;
    try {
      quiet = Env.parseDuration(quietWait);
    } catch (IllegalArgumentException e) {
      throw usage("--quiet-wait " + quietWait + ": " + e.getMessage());
    }
    boolean all = selected.isEmpty() || selected.containsAll(Benchmarks.ALL);
    List<String> run = selected.isEmpty() ? Benchmarks.ALL : List.copyOf(selected);
    StackConfig config = root.config();
    // the full run is the published report; a partial run must not overwrite it
    Path report = out != null ? out.toAbsolutePath()
        : all ? config.home().resolve("BENCHMARKS.md") : config.dataDir().resolve("bench").resolve("BENCHMARKS-" + String.join("-", run) + ".md");
    int batchRows = config.env().integer("COLLECTOR_BATCH_ROWS", 20_000, 1, 1_000_000);
    String command = String.join(" ", spec.commandLine().getParseResult().originalArgs());
    Benchmarks.run(new Benchmarks.Options(run, spans, connections, repeats, profile, batchRows, report, "./stack " + command, quiet, keep,
        history),
        config.home(), root.console()::step);
    return 0;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
