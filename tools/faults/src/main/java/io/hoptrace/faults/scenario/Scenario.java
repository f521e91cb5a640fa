package io.hoptrace.faults.scenario;

import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.launcher.Stack;
import java.io.PrintStream;

/** One fault under load, ending with an exact accounting in its {@link ScenarioResult}. */
public interface Scenario {
  /** Short name, as {@code --only} takes it. */
  String name();

  /** One line: the fault and what must hold. */
  String title();

  /** Whether the short form ({@code --short}, in {@code ./stack test}) runs it; the full form runs every scenario. */
  default boolean inShortForm() {
    return true;
  }

  /**
   * Brokers of the Kafka it runs on: 1, the suite's stack; more, a stack of its own that the suite
   * starts for the scenarios that need it (after the others, so only one stack runs at a time).
   */
  default int kafkaBrokers() {
    return 1;
  }

  /** Runs the fault and accounts for it; leaves every component running and healthy for the next scenario. */
  void run(Stack stack, SuiteOptions options, ScenarioResult result, PrintStream out) throws Exception;
}
