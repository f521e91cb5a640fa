package io.hoptrace.stack;

import java.util.List;
import java.util.concurrent.Callable;
import io.hoptrace.launcher.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The commands that run the stack ({@link Lifecycle} does the work), and {@code test}, which the script runs. */
final class LifecycleCommands {
  private LifecycleCommands() {}

  @Command(name = "up", mixinStandardHelpOptions = true, header = "Start everything in the foreground; Ctrl-C stops it.",
      description = "Builds what is stale, starts Kafka, ClickHouse, the collector, inventory and order, each healthy before the "
          + "next (with its time), prints every address, and stops everything in reverse order on Ctrl-C.")
  static final class Up implements Callable<Integer> {
    @ParentCommand
    StackCommand root;

    @Option(names = "--scale", paramLabel = "ROLE=N,...", description = SCALE_HELP)
    String scale;

    @Override
    public Integer call() {
      return new Lifecycle(root.config(), root.console()).up(scale(root, scale));
    }
  }

  static final String SCALE_HELP = "Instances per role, each a process on its own port: inventory, order, receiver, ingester "
      + "(e.g. inventory=3,order=2,receiver=2,ingester=2; 1 to " + Scale.MAX + " each; default HOPTRACE_SCALE, else one of each). "
      + "Naming receiver or ingester runs the collector as separate receiver, ingester and query processes.";

  /** {@code --scale}, else {@code HOPTRACE_SCALE}; bad input is a usage error naming the entry. */
  static Scale scale(StackCommand root, String option) {
    try {
      return option != null ? Scale.parse(option, "--scale")
          : Scale.parse(root.env().optional(SupervisedStack.SCALE_VARIABLE).orElse(""), SupervisedStack.SCALE_VARIABLE);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(root.spec.commandLine(), e.getMessage());
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, header = "The same in the background; returns once everything is healthy.",
      description = "Shows each part as it becomes healthy; the supervisor's log is <data>/logs/stack.log.")
  static final class Start implements Callable<Integer> {
    @ParentCommand
    StackCommand root;

    @Option(names = "--scale", paramLabel = "ROLE=N,...", description = SCALE_HELP)
    String scale;

    @Override
    public Integer call() {
      return new Lifecycle(root.config(), root.console()).startInBackground(scale(root, scale));
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, header = "Stop what start (or up) started, services first.",
      description = "Also cleans up after a supervisor that was killed.")
  static final class Stop implements Callable<Integer> {
    @ParentCommand
    StackCommand root;

    @Override
    public Integer call() {
      return new Lifecycle(root.config(), root.console()).stop();
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, header = "What runs where.",
      description = "Every instance with its role, pid and ports, and for consumers the partitions they hold (Kafka's consumer groups). "
          + "Exit code 3 when the stack is not running or a part of it is down.")
  static final class Status implements Callable<Integer> {
    @ParentCommand
    StackCommand root;

    @Override
    public Integer call() {
      return new Lifecycle(root.config(), root.console()).status();
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true, header = "Every test: unit, integration, browser tests, the short fault suite.",
      description = "Against one real Kafka and one real ClickHouse started for the run on free ports. The stack script runs it "
          + "(Maven, then the browser tests, then ./stack faults --short).")
  static final class Test implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "MVN_ARG", description = "Passed to mvn verify, e.g. -pl tools/cli -am.")
    List<String> mvnArgs;

    @Override
    public Integer call() {
      throw new CommandLine.ParameterException(spec.commandLine(), "the stack script runs the tests: ./stack test");
    }
  }

  @Command(name = "test-infra", hidden = true, header = "One Kafka and one ClickHouse on free ports for ./stack test; runs until stdin closes.")
  static final class TestInfra implements Callable<Integer> {
    @ParentCommand
    StackCommand root;

    @Parameters(paramLabel = "ENV_FILE", description = "Where to write the variables the tests read.")
    String envFile;

    @Override
    public Integer call() {
      return new io.hoptrace.stack.TestInfra(root.config(), root.console()).run(List.of(envFile));
    }
  }
}
