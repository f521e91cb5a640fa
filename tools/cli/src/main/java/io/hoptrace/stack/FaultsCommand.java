package io.hoptrace.stack;

import io.hoptrace.faults.FaultSuite;
import io.hoptrace.faults.SuiteOptions;
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
    return FaultSuite.run(options(), root.env(), root.console().out());
  }
}
