package io.hoptrace.collector.query.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The state machine: pending until the condition held for the for-duration, then firing, then resolved. */
class AlertStateTest {
  final AlertRule rule = new AlertRule("r", "", "SELECT 1", Comparison.GREATER, 10, Duration.ofSeconds(1), Duration.ofSeconds(60),
      Map.of(), Optional.empty());
  final Instant t0 = Instant.parse("2026-11-25T12:00:00Z");

  @Test
  void firesOnlyAfterTheConditionHeldForTheForDurationAndResolvesWhenItStops() {
    AlertState s = AlertState.initial(rule);
    AlertState a = s.next(OptionalDouble.of(11), t0);
    assertThat(a.phase()).isEqualTo(AlertState.Phase.PENDING);
    assertThat(a.changeFrom(s)).isEqualTo(AlertState.Change.NONE);
    AlertState b = a.next(OptionalDouble.of(12), t0.plusSeconds(59));
    assertThat(b.phase()).isEqualTo(AlertState.Phase.PENDING);
    AlertState c = b.next(OptionalDouble.of(12), t0.plusSeconds(60));
    assertThat(c.phase()).isEqualTo(AlertState.Phase.FIRING);
    assertThat(c.changeFrom(b)).isEqualTo(AlertState.Change.FIRED);
    assertThat(c.since()).isEqualTo(t0.plusSeconds(60));
    AlertState d = c.next(OptionalDouble.of(13), t0.plusSeconds(90));
    assertThat(d.changeFrom(c)).isEqualTo(AlertState.Change.NONE);
    assertThat(d.since()).isEqualTo(t0.plusSeconds(60));
    AlertState e = d.next(OptionalDouble.of(10), t0.plusSeconds(120));
    assertThat(e.phase()).isEqualTo(AlertState.Phase.INACTIVE);
    assertThat(e.changeFrom(d)).isEqualTo(AlertState.Change.RESOLVED);
  }

  @Test
  void aBlipShorterThanTheForDurationNeverFiresAndNoDataNeverFires() {
    AlertState a = AlertState.initial(rule).next(OptionalDouble.of(11), t0);
    AlertState b = a.next(OptionalDouble.of(9), t0.plusSeconds(30));
    assertThat(b.phase()).isEqualTo(AlertState.Phase.INACTIVE);
    assertThat(b.next(OptionalDouble.of(11), t0.plusSeconds(61)).phase()).isEqualTo(AlertState.Phase.PENDING);
    assertThat(AlertState.initial(rule).next(OptionalDouble.empty(), t0).phase()).isEqualTo(AlertState.Phase.INACTIVE);
  }

  @Test
  void aFailedEvaluationKeepsThePhase() {
    AlertRule now = new AlertRule("r", "", "SELECT 1", Comparison.GREATER, 10, Duration.ofSeconds(1), Duration.ZERO, Map.of(), Optional.empty());
    AlertState firing = AlertState.initial(now).next(OptionalDouble.of(11), t0);
    assertThat(firing.phase()).isEqualTo(AlertState.Phase.FIRING);
    AlertState failed = firing.failed("ClickHouse is down", t0.plusSeconds(1));
    assertThat(failed.phase()).isEqualTo(AlertState.Phase.FIRING);
    assertThat(failed.changeFrom(firing)).isEqualTo(AlertState.Change.NONE);
    assertThat(failed.toJson().getString("error")).isEqualTo("ClickHouse is down");
  }
}
