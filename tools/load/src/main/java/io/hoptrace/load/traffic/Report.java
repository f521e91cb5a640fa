package io.hoptrace.load.traffic;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The load's words: the live line (the rate and latencies since the previous line, the counts since
 * the start) and the summary at the end. The line keeps where the previous one was.
 */
public final class Report {
  private final Tally tally;
  private long lastSent;
  private int lastLatency;
  private Duration lastAt = Duration.ZERO;

  public Report(Tally tally) {
    this.tally = tally;
  }

  /**
   * {@code   12s  50.0 orders/s  CONFIRMED 530 REJECTED 41 PENDING 0 invalid 28  errors 0  p50 23ms p99 88ms  restocks 6}:
   * orders/s and the percentiles since the previous line.
   */
  public String line(Duration elapsed) {
    long sent = tally.sentCount();
    int latencyMark = tally.latencies().count();
    double seconds = Math.max(0.001, (elapsed.toMillis() - lastAt.toMillis()) / 1000.0);
    double perSecond = (sent - lastSent) / seconds;
    long[] window = tally.latencies().sortedSince(lastLatency);
    lastSent = sent;
    lastLatency = latencyMark;
    lastAt = elapsed;
    return String.format(Locale.ROOT, "%6s  %6.1f orders/s  CONFIRMED %d  REJECTED %d  PENDING %d  invalid %d  errors %d  p50 %s p99 %s  restocks %d",
        clock(elapsed), perSecond, tally.count(Tally.Outcome.CONFIRMED), tally.count(Tally.Outcome.REJECTED),
        tally.count(Tally.Outcome.PENDING), tally.count(Tally.Outcome.INVALID), tally.count(Tally.Outcome.ERROR),
        ms(Latencies.percentile(window, 50)), ms(Latencies.percentile(window, 99)), tally.restocksApplied());
  }

  /** The summary: counts that add up (sent = the sum of the outcomes, once nothing is in flight), latencies, restocks. */
  public String summary(Duration elapsed, int stillInFlight) {
    long sent = tally.sentCount();
    long[] all = tally.latencies().sortedSince(0);
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "load: %s, %d order requests sent (%.1f/s)%n", clock(elapsed), sent,
        sent / Math.max(0.001, elapsed.toMillis() / 1000.0)));
    s.append(String.format(Locale.ROOT, "  CONFIRMED %d, REJECTED %d (out of stock), PENDING %d, invalid %d (refused as they must be), errors %d%s%n",
        tally.count(Tally.Outcome.CONFIRMED), tally.count(Tally.Outcome.REJECTED), tally.count(Tally.Outcome.PENDING),
        tally.count(Tally.Outcome.INVALID), tally.count(Tally.Outcome.ERROR), detail(tally.errors())));
    if (stillInFlight > 0) {
      s.append("  ").append(stillInFlight).append(" still without an answer when the load stopped").append(System.lineSeparator());
    }
    s.append(String.format(Locale.ROOT, "  latency of answered orders: p50 %s, p90 %s, p99 %s, max %s (%d answers)%n",
        ms(Latencies.percentile(all, 50)), ms(Latencies.percentile(all, 90)), ms(Latencies.percentile(all, 99)),
        ms(Latencies.percentile(all, 100)), all.length));
    s.append(String.format(Locale.ROOT, "  restocks: %d sent, %d applied%s; ticks skipped at the in-flight limit: %d",
        tally.restocksSent(), tally.restocksApplied(), detail(tally.restockErrors()), tally.skippedCount()));
    return s.toString();
  }

  private static String detail(Map<String, Long> errors) {
    if (errors.isEmpty()) {
      return "";
    }
    return " (" + errors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")) + ")";
  }

  static String ms(long micros) {
    if (micros < 0) {
      return "-";
    }
    return micros < 10_000 ? String.format(Locale.ROOT, "%.1fms", micros / 1000.0) : (micros / 1000) + "ms";
  }

  static String clock(Duration d) {
    long s = Math.round(d.toMillis() / 1000.0);
    return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s"
        : (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
  }
}
