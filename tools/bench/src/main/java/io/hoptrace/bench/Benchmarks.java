package io.hoptrace.bench;

import io.hoptrace.config.Env;
import io.hoptrace.launcher.LaunchConfig;
import io.hoptrace.launcher.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code ./stack bench}: starts a private Kafka and ClickHouse (fresh data in a temporary folder,
 * free ports, so a running {@code ./stack up} is untouched), runs the selected benchmarks on them
 * (each starts the collector and the services it needs with the launcher, exactly as {@code ./stack}
 * starts them), writes the report and stops everything. Names: {@code ingest} (1), {@code burst} (2),
 * {@code overhead} (3), {@code latency} (4), {@code orders} (6), {@code inventory-scale} (7), {@code startup} (8); {@code memory} (5) is
 * sampled during ingest and burst.
 */
public final class Benchmarks {
  public static final List<String> ALL = List.of("ingest", "burst", "overhead", "latency", "orders", "inventory-scale", "startup");

  /**
   * @param names benchmarks to run, in this order
   * @param spans spans per ingest run
   * @param connections OTLP connections of the load generator
   * @param repeats measured runs per benchmark (median and spread)
   * @param profile attach async-profiler to the collector during an extra ingest run, and to the services during an extra overhead run
   * @param batchRows the collector's {@code COLLECTOR_BATCH_ROWS} (the baseline's insert size)
   * @param out the Markdown report
   * @param command how it was started (written into the report)
   * @param quietWait how long to wait for a quiet machine before each measurement
   * @param keep keep the bench run's folder (logs, profiles) instead of deleting it
   * @param history orders of history for {@code startup}, one fill each (the goal is judged at 10^6)
   */
  public record Options(List<String> names, long spans, int connections, int repeats, boolean profile, int batchRows, Path out, String command,
      java.time.Duration quietWait, boolean keep, List<Long> history) {
    public Options {
      history = List.copyOf(history);
    }
  }

  private Benchmarks() {}

  /** The sustained end-to-end rate when benchmark 1 did not run: one short ingest run. */
  private static double sustainedRate(BenchStack stack, Options o, Console console) throws Exception {
    console.step("measuring the sustained end-to-end rate (one ingest run) for the benchmarks that depend on it");
    return new IngestThroughput(stack, new IngestThroughput.Options(Math.min(o.spans(), 300_000), o.connections(), 1, false, o.batchRows()), console)
        .run().medianEndToEnd();
  }

  /** Runs the benchmarks on a private stack started from the jars under {@code home}. */
  public static void run(Options o, Path home, Console console) throws Exception {
    Files.createDirectories(o.out().toAbsolutePath().getParent());
    Path dir = Files.createTempDirectory("hoptrace-bench-");
    console.step("starting a private Kafka and ClickHouse in " + dir);
    try (Stack stack = new Stack(LaunchConfig.privateStack(home, dir, Env.system()), BenchStack.progress(console))) {
      stack.start(Stack.INFRASTRUCTURE);
      run(new BenchStack(stack, dir), o, console);
    } finally {
      if (o.keep()) {
        console.step("kept " + dir + " (logs, profiles)");
      } else {
        delete(dir);
      }
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }

  static void run(BenchStack stack, Options o, Console console) throws Exception {
    Quiet.maxWait = o.quietWait();
    Report report = new Report(Machine.current(), o.command());
    console.step("machine: " + report.machine().describe());
    Memory memory = new Memory();
    double sustained = Double.NaN;
    List<String> durations = new ArrayList<>();
    for (String name : o.names()) {
      long began = System.nanoTime();
      switch (name) {
        case "ingest" -> {
          IngestThroughput.Outcome r = new IngestThroughput(stack,
              new IngestThroughput.Options(o.spans(), o.connections(), o.repeats(), o.profile(), o.batchRows()), console).run();
          report.add(r.section());
          memory.add("ingestion throughput (1)", r.peakRssBytes());
          sustained = r.medianEndToEnd();
        }
        case "burst" -> {
          if (Double.isNaN(sustained)) {
            sustained = sustainedRate(stack, o, console);
          }
          BurstAbsorption.Outcome r = new BurstAbsorption(stack, new BurstAbsorption.Options(sustained, 5, java.time.Duration.ofSeconds(30),
              32, Math.min(3, o.repeats())), console).run();
          report.add(r.section());
          memory.add("burst absorption (2)", r.peakRssBytes());
        }
        case "overhead" -> report.add(new ServiceOverhead(stack, new ServiceOverhead.Options(Math.min(3, o.repeats()), 20, 32, o.profile()), console).run());
        case "latency" -> {
          if (Double.isNaN(sustained)) {
            sustained = sustainedRate(stack, o, console);
          }
          report.add(new VisibilityLatency(stack, new VisibilityLatency.Options(Math.min(3, o.repeats()), 40, 500, sustained / 2), console).run());
        }
        case "orders" -> report.add(new OrderLatency(stack, new OrderLatency.Options(Math.min(3, o.repeats()), 20, 20), console).run());
        case "inventory-scale" -> report.add(new InventoryScale(stack, new InventoryScale.Options(Math.min(3, o.repeats()), 15, 15, 32, 10), console).run());
        case "startup" -> report.add(new StartupState(stack, new StartupState.Options(o.history(), Math.min(3, o.repeats())), console).run());
        default -> throw new IllegalArgumentException("unknown benchmark '" + name + "'; known: " + String.join(", ", ALL));
      }
      String took = String.format(Locale.ROOT, "%s %.1f min", name, (System.nanoTime() - began) / 60e9);
      durations.add(took);
      console.step("took: " + took);
    }
    if (!memory.isEmpty()) {
      report.add(memory.section());
    }
    List<String> preface = new ArrayList<>();
    preface.add("Every figure is the median of several runs on this machine with the baseline measured in the same run "
        + "(alternating with it); the spread is half the range relative to the median. Reproduce with `./stack bench` "
        + "(all) or `./stack bench <" + String.join("|", ALL) + ">`; see docs/benchmarks.md. This run took: " + String.join(", ", durations) + ".");
    String md = MarkdownReport.render(report, preface);
    try {
      Files.writeString(o.out(), md);
      Path data = DataFile.writeBeside(o.out(), report);
      console.step(String.format(Locale.ROOT, "wrote %s and %s", o.out(), data.getFileName()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
