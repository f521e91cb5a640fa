package io.hoptrace.collector.query.alerts;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One alert rule: every {@code interval}, run {@code sql} (one number) and compare it with
 * {@code threshold}; when the comparison has held for {@code forDuration} the alert fires, when it
 * stops holding the alert resolves. Both are POSTed to {@code webhook} and logged.
 */
public record AlertRule(
    String name,
    String description,
    String sql,
    Comparison comparison,
    double threshold,
    Duration interval,
    Duration forDuration,
    Map<String, String> labels,
    Optional<String> webhook) {

  public AlertRule {
    labels = Map.copyOf(labels);
  }

  /** e.g. {@code > 0.05} */
  public String condition() {
    return comparison.symbol() + " " + AlertRules.number(threshold);
  }
}
