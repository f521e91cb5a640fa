package io.hoptrace.faults;

import io.hoptrace.faults.scenario.BadInput;
import io.hoptrace.faults.scenario.ClickHouseOutage;
import io.hoptrace.faults.scenario.IngesterCrash;
import io.hoptrace.faults.scenario.InventoryCrash;
import io.hoptrace.faults.scenario.KafkaOutage;
import io.hoptrace.faults.scenario.PoisonRecords;
import io.hoptrace.faults.scenario.Scenario;
import io.hoptrace.faults.stack.FaultStack;
import io.hoptrace.config.Env;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./stack faults}: starts the whole system privately, runs each fault scenario under load,
 * prints each one's accounting and a summary, and exits 1 unless every scenario was exact.
 */
public final class FaultSuite {
  private FaultSuite() {}

  static List<Scenario> all() {
    return List.of(new ClickHouseOutage(), new KafkaOutage(), new IngesterCrash(), new InventoryCrash(), new PoisonRecords(), new BadInput());
  }

  public static void main(String[] args) {
    PrintStream out = System.out;
    SuiteOptions options;
    try {
      options = SuiteOptions.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(options, Env.system(), out));
  }

  static int run(SuiteOptions o, Env env, PrintStream out) {
    List<Scenario> scenarios = all().stream().filter(s -> o.selected(s.name())).toList();
    if (scenarios.isEmpty()) {
      out.println("error: no scenario named " + o.only() + "; " + SuiteOptions.USAGE);
      return 2;
    }
    Path home = env.path("HOPTRACE_HOME", Path.of("").toAbsolutePath());
    Path dir;
    try {
      dir = Files.createTempDirectory("hoptrace-faults-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.printf(Locale.ROOT, "hoptrace fault suite, %s form, seed %d (repeat with --seed %d), %s, %d cores%n",
        o.form(), o.seed(), o.seed(), Instant.now(), Runtime.getRuntime().availableProcessors());
    Map<String, Integer> catalogue = new LinkedHashMap<>();
    catalogue.put(KafkaOutage.PRODUCT, KafkaOutage.STOCK);
    catalogue.put(InventoryCrash.PRODUCT, InventoryCrash.stock(o));
    catalogue.put(BadInput.PRODUCT, BadInput.STOCK);
    List<ScenarioResult> results = new ArrayList<>();
    long t0 = System.nanoTime();
    FaultStack stack = null;
    try {
      stack = FaultStack.start(home, dir, env.string("HOPTRACE_SERVICE_HEAP", "384m"), catalogue, out);
      FaultStack running = stack;
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "faults-shutdown"));
      for (Scenario s : scenarios) {
        out.println();
        out.println("==> " + s.name() + ": " + s.title());
        ScenarioResult r = new ScenarioResult(s.name());
        long start = System.nanoTime();
        try {
          s.run(stack, o, r, out);
        } catch (Exception | AssertionError e) {
          r.aborted(e);
          out.println("error: " + s.name() + " did not finish: " + e.getMessage());
        }
        r.seconds((System.nanoTime() - start) / 1_000_000_000L);
        r.print(out);
        results.add(r);
        if (!r.exact()) {
          restoreAll(stack, out);
        }
      }
    } catch (RuntimeException e) {
      out.println("error: the suite could not run: " + e.getMessage());
      results.add(new ScenarioResult("start-up").aborted(e));
    } finally {
      if (stack != null) {
        out.println();
        out.println("==> stopping the private stack");
        stack.close();
      }
    }
    boolean exact = results.stream().allMatch(ScenarioResult::exact) && results.size() == scenarios.size();
    Summary.print(results, o, (System.nanoTime() - t0) / 1_000_000_000L, out);
    if (exact && !o.keepData()) {
      deleteQuietly(dir);
    } else {
      out.println("data and logs kept in " + dir + " (logs/ has every process's output)");
    }
    return exact ? 0 : 1;
  }

  /** After a scenario that failed half-way: bring back whatever it left dead, so the next ones can run. */
  private static void restoreAll(FaultStack stack, PrintStream out) {
    try {
      if (!stack.kafka().isRunning()) {
        stack.kafka().restart();
      }
      if (!stack.clickHouse().isRunning()) {
        stack.clickHouse().restart();
      }
      for (var p : stack.services().values()) {
        if (!p.isAlive()) {
          out.println("    restarting " + p.name() + " (left dead by the failed scenario)");
          p.start();
        }
      }
    } catch (RuntimeException e) {
      out.println("error: could not restore the stack: " + e.getMessage());
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
