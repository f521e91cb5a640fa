package io.hoptrace.stack;

import io.hoptrace.faults.FaultSuite;
import io.hoptrace.faults.SuiteOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./stack faults [--short] [--seed N] [--only ...] [--keep]}: runs the fault suite, which
 * starts a private stack on free ports and a fresh data folder, so a running {@code ./stack up} is
 * untouched. Exit code 0 when every scenario was exact.
 */
final class FaultsCommand {
  static final String USAGE = "usage: ./stack faults [--short] [--seed N] [--only clickhouse,kafka,ingester,inventory,poison,fuzz] [--keep]";

  private final StackConfig config;
  private final Console console;

  FaultsCommand(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
  }

  int run(List<String> args) {
    boolean full = true;
    long seed = SuiteOptions.randomSeed();
    Set<String> only = new LinkedHashSet<>();
    boolean keep = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--short" -> full = false;
        case "--keep" -> keep = true;
        case "--seed" -> seed = Long.parseLong(args.get(++i));
        case "--only" -> only.addAll(List.of(args.get(++i).split(",")));
        case "-v", "--verbose" -> { }
        default -> throw new IllegalArgumentException("unknown option '" + a + "'; " + USAGE);
      }
    }
    return FaultSuite.run(new SuiteOptions(full, seed, only, keep), config.env(), console.out());
  }
}
