package io.hoptrace.collector.query.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules file is read strictly; every mistake names the line, the rule and the field. */
class AlertRulesTest {
  static final String GOOD = String.join("\n",
      "defaults:",
      "  interval: 10s",
      "  for: 30s",
      "  webhook: http://127.0.0.1:9999/alerts",
      "rules:",
      "  - name: slow",
      "    sql: SELECT 1",
      "    comparison: '>='",
      "    threshold: 2.5",
      "    labels: {severity: page}",
      "  - name: fast",
      "    description: checked often",
      "    sql: |",
      "      WITH 1 AS x",
      "      SELECT x",
      "    comparison: '!='",
      "    threshold: 0",
      "    interval: 500ms",
      "    for: 0s",
      "    webhook: https://example.invalid/hook",
      "");

  @Test
  void readsRulesAndAppliesDefaults() {
    AlertRules rules = AlertRules.parse("test", GOOD, Optional.empty());
    assertThat(rules.rules()).hasSize(2);
    AlertRule slow = rules.rules().get(0);
    assertThat(slow.comparison()).isEqualTo(Comparison.GREATER_OR_EQUAL);
    assertThat(slow.threshold()).isEqualTo(2.5);
    assertThat(slow.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(slow.forDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(slow.labels()).containsEntry("severity", "page");
    assertThat(slow.webhook()).hasValue("http://127.0.0.1:9999/alerts");
    AlertRule fast = rules.rules().get(1);
    assertThat(fast.sql()).isEqualTo("WITH 1 AS x\nSELECT x");
    assertThat(fast.interval()).isEqualTo(Duration.ofMillis(500));
    assertThat(fast.forDuration()).isZero();
    assertThat(fast.webhook()).hasValue("https://example.invalid/hook");
    assertThat(fast.condition()).isEqualTo("!= 0");
  }

  @Test
  void theShippedDefaultsAreValidAndCoverTheIssuesRules() {
    AlertRules defaults = AlertRules.defaults(Optional.of("http://127.0.0.1:9/hook"));
    assertThat(defaults.rules()).extracting(AlertRule::name).containsExactly(
        "order-error-rate", "inventory-error-rate", "order-product-p95-latency", "collector-ingestion-lag", "collector-dead-letters",
        "collector-ingestion-stalled");
    assertThat(defaults.rules()).allSatisfy(r -> assertThat(r.webhook()).hasValue("http://127.0.0.1:9/hook"));
    assertThat(AlertRules.defaults(Optional.empty()).rules()).allSatisfy(r -> assertThat(r.webhook()).isEmpty());
  }

  @Test
  void everyMistakeIsNamedWithItsLine() {
    expect(GOOD.replace("threshold: 2.5", "threshold: high"), "line 9, rule 'slow', field 'threshold': 'high' is not a number");
    expect(GOOD.replace("comparison: '>='", "comparison: '=>'"), "line 8, rule 'slow', field 'comparison': '=>' is not one of > >= < <= == !=");
    expect(GOOD.replace("    sql: SELECT 1\n", ""), "line 6, rule 'slow', field 'sql': is missing");
    expect(GOOD.replace("sql: SELECT 1", "sql: DROP TABLE otel_traces"), "line 7, rule 'slow', field 'sql': must be a SELECT");
    expect(GOOD.replace("interval: 500ms", "interval: soon"), "line 18, rule 'fast', field 'interval': 'soon' is not a duration");
    expect(GOOD.replace("interval: 500ms", "interval: 10ms"), "field 'interval': '10ms' must be between");
    expect(GOOD.replace("name: fast", "name: slow"), "line 11, rule 'slow', field 'name': is used by an earlier rule too");
    expect(GOOD.replace("name: fast", "name: 'not ok!'"), "field 'name': 'not ok!' must be letters");
    expect(GOOD.replace("    for: 0s", "    fro: 0s"), "line 19, rule 'fast', field 'fro': unknown key in a rule");
    expect(GOOD.replace("webhook: https://example.invalid/hook", "webhook: ftp://x"), "line 20, rule 'fast', field 'webhook': 'ftp://x' is not an http(s) URL");
    expect(GOOD.replace("labels: {severity: page}", "labels: {'bad label': page}"), "field 'labels': label name 'bad label'");
    expect(GOOD.replace("rules:", "rulez:"), "line 5, field 'rulez': unknown key in the file");
    expect("rules: 5", "line 1, field 'rules': must be a list of rules");
    expect("rules:\n  - name: [x", "not valid YAML");
  }

  @Test
  void aMissingFileAndABadWebhookVariableAreNamed() {
    assertThatThrownBy(() -> AlertRules.fromFile(Path.of("/nonexistent/rules.yaml"), Optional.empty()))
        .hasMessageContaining("ALERT_RULES_FILE=/nonexistent/rules.yaml cannot be read");
    assertThatThrownBy(() -> AlertRules.parse("test", GOOD, Optional.of("not a url")))
        .hasMessageContaining("ALERT_WEBHOOK_URL=not a url is not an http(s) URL");
  }

  private static void expect(String yaml, String message) {
    assertThatThrownBy(() -> AlertRules.parse("rules.yaml", yaml, Optional.empty()))
        .isInstanceOf(AlertRules.InvalidRulesException.class)
        .hasMessageContaining("alert rules rules.yaml")
        .hasMessageContaining(message);
  }
}
