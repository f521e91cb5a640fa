package io.hoptrace.faults;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How hard the suite pushes: the full form (durations of the issue, run by hand) or the short form
 * ({@code --short}, inside {@code ./stack test}). Every random choice derives from {@link #seed}.
 *
 * @param full full form
 * @param seed the seed of every random choice (printed, so a failure can be replayed with {@code --seed})
 * @param only scenario names to run (empty: all)
 * @param keepData keep the data folder and logs even when every scenario was exact
 * @param soak when present, the soak of this length runs instead of the fault scenarios
 */
public record SuiteOptions(boolean full, long seed, Set<String> only, boolean keepData, Optional<Duration> soak) {
  public SuiteOptions {
    only = Set.copyOf(only);
    soak = soak == null ? Optional.empty() : soak;
  }

  public SuiteOptions(boolean full, long seed, Set<String> only, boolean keepData) {
    this(full, seed, only, keepData, Optional.empty());
  }

  /** A seed for a run that was given none (printed, so the run can be repeated). */
  public static long randomSeed() {
    return System.nanoTime() & 0xffffffL;
  }

  public String form() {
    return soak.isPresent() ? "soak" : full ? "full" : "short";
  }

  public boolean selected(String scenario) {
    return only.isEmpty() || only.contains(scenario);
  }

  /** Whether a scenario runs: named by {@code --only}, or else every one in the full form and those of the short form in it. */
  public boolean selected(String scenario, boolean inShortForm) {
    return only.isEmpty() ? full || inShortForm : only.contains(scenario);
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

  /** One broker of three down (the broker scenario): longer than the receiver's 10 s delivery timeout and a broker's session. */
  public Duration brokerDown() {
    return full ? Duration.ofSeconds(30) : Duration.ofSeconds(15);
  }

  public int orderClients() {
    return 50;
  }

  /** Fuzz cases per target (each OTLP port and signal, each service endpoint). */
  public int fuzzCases() {
    return full ? 1500 : 150;
  }
}
