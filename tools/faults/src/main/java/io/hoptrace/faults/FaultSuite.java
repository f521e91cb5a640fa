package io.hoptrace.faults;

import io.hoptrace.config.Env;
import io.hoptrace.faults.scenario.BadInput;
import io.hoptrace.faults.scenario.BrokerOutage;
import io.hoptrace.faults.scenario.IngesterInstances;
import io.hoptrace.faults.scenario.InventoryInstances;
import io.hoptrace.faults.scenario.ClickHouseOutage;
import io.hoptrace.faults.scenario.IngesterCrash;
import io.hoptrace.faults.scenario.InventoryCrash;
import io.hoptrace.faults.scenario.KafkaOutage;
import io.hoptrace.faults.scenario.PoisonRecords;
import io.hoptrace.faults.scenario.Scenario;
import io.hoptrace.faults.soak.Soak;
import io.hoptrace.faults.soak.SoakPlan;
import io.hoptrace.launcher.Instance;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.KafkaInstance;
import io.hoptrace.launcher.LaunchConfig;
import io.hoptrace.launcher.Progress;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
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
 * {@code ./stack faults}: starts the whole system privately (free ports, a fresh data folder; the
 * collector's receiver and ingester as processes of their own, so either can die alone), runs each
 * fault scenario under load, prints each one's accounting and a summary; exact or not.
 */
public final class FaultSuite {
  private FaultSuite() {}

  static List<Scenario> all() {
    return List.of(new ClickHouseOutage(), new KafkaOutage(), new IngesterCrash(), new InventoryCrash(), new PoisonRecords(), new BadInput(),
        new IngesterInstances(), new InventoryInstances(), new BrokerOutage());
  }

  /** The scenarios' names, as {@code --only} takes them. */
  public static List<String> names() {
    return all().stream().map(Scenario::name).toList();
  }

  /**
   * Runs the selected scenarios on a private stack started from the jars under {@code HOPTRACE_HOME},
   * writes the report to {@code report} (and its JSON beside it); 0 when every scenario was exact, 1
   * otherwise.
   */
  public static int run(SuiteOptions o, Env env, PrintStream out, Path report, String command) {
    List<Scenario> scenarios = o.soak().isPresent() ? List.of(new Soak(SoakPlan.of(o.soak().get())))
        : all().stream().filter(s -> o.selected(s.name(), s.inShortForm())).toList();
    if (scenarios.isEmpty()) {
      throw new IllegalArgumentException("no scenario named " + o.only() + "; scenarios: " + names());
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
    out.println("scenarios: " + String.join(", ", scenarios.stream().map(Scenario::name).toList()));
    List<ScenarioResult> results = new ArrayList<>();
    Instant started = Instant.now();
    String commit = FaultReport.commit(home);
    long t0 = System.nanoTime();
    // one stack at a time: the suite's (one broker) for most scenarios, then one per other Kafka size a scenario needs
    Map<Integer, List<Scenario>> byBrokers = new LinkedHashMap<>();
    scenarios.forEach(s -> byBrokers.computeIfAbsent(s.kafkaBrokers(), b -> new ArrayList<>()).add(s));
    for (Map.Entry<Integer, List<Scenario>> group : byBrokers.entrySet()) {
      int brokers = group.getKey();
      Path groupDir = brokers == 1 ? dir : dir.resolve("kafka-" + brokers + "-brokers");
      Env groupEnv = brokers == 1 ? env : env.with(KafkaInstance.BROKERS_VARIABLE, Integer.toString(brokers));
      runOn(new Stack(config(home, groupDir, groupEnv, o), progress(out)), brokers, group.getValue(), o, results, out, groupDir);
    }
    boolean exact = results.stream().allMatch(ScenarioResult::exact) && results.size() == scenarios.size();
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    Summary.print(results, o, seconds, out);
    FaultReport written = new FaultReport(new FaultReport.Run(started, command, o.form(), o.seed(), seconds, FaultReport.machine(), commit), results);
    try {
      Path data = written.write(report);
      out.println("report: " + report + " (data: " + data.getFileName() + ")");
    } catch (UncheckedIOException e) {
      out.println("error: " + e.getMessage());
      exact = false;
    }
    if (exact && !o.keepData()) {
      deleteQuietly(dir);
    } else {
      out.println("data and logs kept in " + dir + " (logs/ has every process's output)");
    }
    return exact ? 0 : 1;
  }

  /** Starts {@code stack}'s whole system, runs {@code scenarios} on it one after the other, and stops it. */
  private static void runOn(Stack stack, int brokers, List<Scenario> scenarios, SuiteOptions o, List<ScenarioResult> results,
      PrintStream out, Path dir) {
    Thread hook = new Thread(stack::close, "faults-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.println("==> starting a private Kafka" + (brokers > 1 ? " of " + brokers + " brokers" : "")
          + ", ClickHouse, collector (receiver + ingester), inventory and order in " + dir);
      stack.start(Stack.SYSTEM_SPLIT);
      for (Scenario s : scenarios) {
        out.println();
        out.println("==> " + s.name() + ": " + s.title());
        ScenarioResult r = new ScenarioResult(s.name()).title(s.title());
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
      out.println();
      out.println("==> stopping the private stack" + (brokers > 1 ? " of " + brokers + " brokers" : ""));
      stack.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs, closing an already closed stack
      }
    }
  }

  /**
   * Every process with the heap of a service ({@code HOPTRACE_SERVICE_HEAP}, 384m: the fuzzer bounds
   * their RSS by it), the collector's self-metrics off (count only what the load generators send), and
   * inventory seeded with the scenarios' products.
   */
  static LaunchConfig config(Path home, Path dir, Env env, SuiteOptions o) {
    Map<String, Integer> catalogue = new LinkedHashMap<>();
    catalogue.put(KafkaOutage.PRODUCT, KafkaOutage.STOCK);
    catalogue.put(InventoryCrash.PRODUCT, InventoryCrash.stock(o));
    catalogue.put(InventoryInstances.PRODUCT, InventoryInstances.stock(o));
    catalogue.put(BrokerOutage.PRODUCT, BrokerOutage.STOCK);
    catalogue.put(BadInput.PRODUCT, BadInput.STOCK);
    catalogue.put(Soak.PRODUCT, Soak.STOCK);
    Path seed = dir.resolve("catalogue.json");
    writeCatalogue(seed, catalogue);
    String heap = env.string("HOPTRACE_SERVICE_HEAP", "384m");
    LaunchConfig config = LaunchConfig.privateStack(home, dir, env)
        .withEnv(Role.RECEIVER, Map.of("COLLECTOR_SELF_METRICS_INTERVAL", "0"))
        .withEnv(Role.INGESTER, Map.of("COLLECTOR_SELF_METRICS_INTERVAL", "0"))
        .withEnv(Role.INVENTORY, Map.of("INVENTORY_SEED_FILE", seed.toString()));
    for (Role r : List.of(Role.RECEIVER, Role.INGESTER, Role.INVENTORY, Role.ORDER)) {
      config = config.withHeap(r, heap);
      if (o.soak().isPresent()) {
        createDirectories(dir.resolve("logs"));
        // the soak reads the heap after its full collections from each JVM's own GC log
        config = config.withEnv(r, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:gc:file=" + Soak.gcLog(dir, r.id())));
      }
    }
    return config;
  }

  private static Progress progress(PrintStream out) {
    return new Progress() {
      @Override
      public void starting(Instance instance) {
        out.println("==> starting " + instance.name());
      }

      @Override
      public void warning(String message) {
        out.println("error: " + message);
      }
    };
  }

  /** After a scenario that failed half-way: bring back whatever it left dead, so the next ones can run. */
  private static void restoreAll(Stack stack, PrintStream out) {
    try {
      if (!stack.kafka().isAlive()) {
        stack.kafka().restart();
      }
      if (!stack.clickHouse().isAlive()) {
        stack.clickHouse().restart();
      }
      for (JvmInstance p : Parts.processes(stack).values()) {
        if (!p.isAlive()) {
          out.println("    restarting " + p.name() + " (left dead by the failed scenario)");
          p.start();
        }
      }
    } catch (RuntimeException e) {
      out.println("error: could not restore the stack: " + e.getMessage());
    }
  }

  private static void createDirectories(Path d) {
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeCatalogue(Path file, Map<String, Integer> catalogue) {
    StringBuilder sb = new StringBuilder("[");
    for (Map.Entry<String, Integer> p : catalogue.entrySet()) {
      sb.append(sb.length() > 1 ? "," : "").append("{\"productId\":\"").append(p.getKey()).append("\",\"name\":\"")
          .append(p.getKey()).append("\",\"price\":9.5,\"stock\":").append(p.getValue()).append('}');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, sb.append(']').toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
