package io.hoptrace.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * Benchmark figures mean something only on a quiet machine. Before each measurement: ClickHouse has
 * finished merging the last run's parts, and processes that are not ours use less than a fifth of a
 * core (measured over 2 s from /proc/stat); otherwise wait, up to {@link #maxWait}, and say so.
 */
final class Quiet {
  static volatile Duration maxWait = Duration.ofMinutes(5);
  static final double MAX_FOREIGN_CORES = 0.2;
  /** A run during which other processes used more than this share of the machine is disturbed: measured again. */
  static final double MAX_OTHERS_SHARE = 0.10;

  private Quiet() {}

  /** Waits for quiet; returns the CPU (in cores) other processes used in the last 2 s. */
  static double await(Console console, ClickHouseHttp ch) {
    ch.awaitNoMerges(Duration.ofSeconds(60));
    long deadline = System.nanoTime() + maxWait.toNanos();
    boolean told = false;
    while (true) {
      double busy0 = ProcStat.machineBusySeconds();
      double self0 = ProcStat.cpuSeconds(ProcessHandle.current().pid());
      double ours0 = oursCpu();
      ClickHouseHttp.sleep(2000);
      double foreign = (ProcStat.machineBusySeconds() - busy0 - (oursCpu() - ours0) - (ProcStat.cpuSeconds(ProcessHandle.current().pid()) - self0)) / 2.0;
      if (foreign < MAX_FOREIGN_CORES || System.nanoTime() > deadline) {
        if (foreign >= MAX_FOREIGN_CORES) {
          console.step(String.format(Locale.ROOT, "the machine is still busy (other processes use %.2f cores); measuring anyway, the figure notes it", foreign));
        }
        return Math.max(0, foreign);
      }
      if (!told) {
        console.step(String.format(Locale.ROOT, "waiting for a quiet machine: other processes use %.2f cores (load average %.2f)", foreign, ProcStat.loadAverage()));
        told = true;
      }
    }
  }

  /** CPU of our children (Kafka, ClickHouse, collector, services): they are idle between runs but not silent. */
  private static double oursCpu() {
    return ProcessHandle.current().descendants().mapToDouble(p -> {
      double c = ProcStat.cpuSeconds(p.pid());
      return Double.isNaN(c) ? 0 : c;
    }).sum();
  }
}
