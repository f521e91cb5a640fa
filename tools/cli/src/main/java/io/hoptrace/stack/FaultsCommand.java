package io.hoptrace.stack;

import io.hoptrace.faults.FaultSuite;
import io.hoptrace.faults.SuiteOptions;
import java.nio.file.Path;
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
      description = "Only these scenarios: clickhouse, kafka, ingester, inventory, poison, fuzz.")
  List<String> only = List.of();

  @Option(names = "--out", paramLabel = "FILE",
      description = "Where to write the report (and its .json beside it). Default: FAULTS.md for the full run of every "
          + "scenario, <data>/faults/FAULTS-<form>.md otherwise.")
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
    return new SuiteOptions(!quick, seed != null ? seed : SuiteOptions.randomSeed(), Set.copyOf(only), keep);
  }

  @Override
  public Integer call() {
    SuiteOptions o = options();
    StackConfig config = root.config();
    // the full run of every scenario is the published report; a partial run must not overwrite it
    Path report = out != null ? out.toAbsolutePath()
        : o.full() && o.only().isEmpty() ? config.home().resolve("FAULTS.md")
        : config.dataDir().resolve("faults").resolve("FAULTS-" + o.form() + ".md");
    String command = "./stack " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    return FaultSuite.run(o, root.env(), root.console().out(), report, command);
  }
}
