package io.hoptrace.stack;

import io.hoptrace.faults.FaultSuite;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.config.Env;
import io.hoptrace.faults.soak.SoakPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ./stack faults}: the fault suite, on a private stack (free ports, a fresh data folder), so a
 * running {@code ./stack up} is untouched. Exit code 0 when every scenario was exact, 1 otherwise.
 */
@Command(name = "faults", mixinStandardHelpOptions = true, header = "The fault suite: kills parts under load, poison records, a fuzzer, exact accounting.",
    description = "On a private stack (free ports, a fresh data folder), so a running stack is untouched. Exit code 1 unless "
        + "every scenario was exact.")
final class FaultsCommand implements Callable<Integer> {
  @ParentCommand
  StackCommand root;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--short", description = "The short form (a few minutes; ./stack test runs it).")
  boolean quick;

  @Option(names = "--seed", paramLabel = "N", description = "The seed of every random choice (default: a new one, printed).")
  Long seed;

  @Option(names = "--only", paramLabel = "SCENARIO", split = ",",
      description = "Only these scenarios: clickhouse, kafka, ingester, inventory, poison, fuzz, ingester-instances, "
          + "inventory-instances, broker (the short form runs all but ingester-instances and broker; broker runs on a Kafka of "
          + "three brokers started for it).")
  List<String> only = List.of();

  @Option(names = "--soak", paramLabel = "DURATION",
      description = "Instead of the fault scenarios: steady order and telemetry load for DURATION (e.g. 30m, at least 3m); passes "
          + "when memory stays flat, lag returns to zero and nothing is lost or duplicated.")
  String soak;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Where to write the report (and its .json and pictures beside it). Default: docs/reports/faults.md for the "
          + "full run of every scenario, docs/reports/soak.md for a soak of 30m or more, <data>/faults/<form>.md otherwise.")
  Path out;

  @Option(names = "--keep", description = "Keep the data and logs even when every scenario was exact.")
  boolean keep;

  /** The suite's options as given. */
  SuiteOptions options() {
    Set<String> names = new LinkedHashSet<>(only);
    names.removeAll(FaultSuite.names());
    if (!names.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no scenario named " + names + "; scenarios: "
          + String.join(", ", FaultSuite.names()));
    }
    Optional<Duration> soakFor = Optional.empty();
    if (soak != null) {
      try {
        soakFor = Optional.of(SoakPlan.of(Env.parseDuration(soak)).duration());
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--soak " + soak + ": " + e.getMessage());
      }
      if (quick || !only.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--soak runs alone: without --short and --only");
      }
    }
    return new SuiteOptions(!quick, seed != null ? seed : SuiteOptions.randomSeed(), Set.copyOf(only), keep, soakFor);
  }

  @Override
  public Integer call() {
    SuiteOptions o = options();
    StackConfig config = root.config();
    // the full run of every scenario is the published report; a partial run must not overwrite it
    Path reports = config.home().resolve("docs").resolve("reports");
    Path report = out != null ? out.toAbsolutePath()
        : o.soak().isPresent() ? (o.soak().get().compareTo(Duration.ofMinutes(30)) >= 0 ? reports.resolve("soak.md") : config.dataDir().resolve("faults").resolve("soak.md"))
        : o.full() && o.only().isEmpty() ? reports.resolve("faults.md")
        : config.dataDir().resolve("faults").resolve(o.form() + ".md");
    String command = "./stack " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    return FaultSuite.run(o, root.env(), root.console().out(), report, command);
  }
}
