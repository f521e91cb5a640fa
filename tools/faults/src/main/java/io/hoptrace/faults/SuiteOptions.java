package io.hoptrace.faults;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How hard the suite pushes: the full form (durations of the issue, run by hand) or the short form
 * ({@code --short}, inside {@code ./stack test}). Every random choice derives from {@link #seed}.
 *
 * @param full full form
 * @param seed the seed of every random choice (printed, so a failure can be replayed with {@code --seed})
 * @param only scenario names to run (empty: all)
 * @param keepData keep the data folder and logs even when every scenario was exact
 */
public record SuiteOptions(boolean full, long seed, Set<String> only, boolean keepData) {
  public static final String USAGE = "usage: ./stack faults [--short] [--seed N] [--only clickhouse,kafka,ingester,inventory,poison,fuzz] [--keep]";

  public static SuiteOptions parse(List<String> args) {
    boolean full = true;
    long seed = System.nanoTime() & 0xffffffL;
    Set<String> only = new LinkedHashSet<>();
    boolean keep = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--short" -> full = false;
        case "--keep" -> keep = true;
        case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
        case "--only" -> only.addAll(List.of(value(args, ++i, a).split(",")));
        default -> throw new IllegalArgumentException("unknown option '" + a + "'; " + USAGE);
      }
    }
    return new SuiteOptions(full, seed, Set.copyOf(only), keep);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value; " + USAGE);
    }
    return args.get(i);
  }

  public String form() {
    return full ? "full" : "short";
  }

  public boolean selected(String scenario) {
    return only.isEmpty() || only.contains(scenario);
  }

  /** Telemetry load: requests per second (each {@link #tracesPerRequest} traces of 5 spans: the order flow's whole trace). */
  public double telemetryRate() {
    return full ? 20 : 10;
  }

  public int tracesPerRequest() {
    return full ? 100 : 50;
  }

  /** Load before a fault and after recovery. */
  public Duration loadAround() {
    return full ? Duration.ofSeconds(20) : Duration.ofSeconds(5);
  }

  public Duration clickHouseDown() {
    return full ? Duration.ofSeconds(60) : Duration.ofSeconds(10);
  }

  /** Longer than the receiver's Kafka delivery timeout (10 s), so that refusals must happen. */
  public Duration kafkaDown() {
    return full ? Duration.ofSeconds(30) : Duration.ofSeconds(12);
  }

  public Duration ingesterDown() {
    return full ? Duration.ofSeconds(10) : Duration.ofSeconds(2);
  }

  public Duration inventoryDown() {
    return full ? Duration.ofSeconds(15) : Duration.ofSeconds(5);
  }

  public int orderClients() {
    return 50;
  }

  /** Fuzz cases per target (each OTLP port and signal, each service endpoint). */
  public int fuzzCases() {
    return full ? 1500 : 150;
  }
}
