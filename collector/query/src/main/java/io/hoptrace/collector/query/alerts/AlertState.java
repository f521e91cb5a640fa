package io.hoptrace.collector.query.alerts;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * Where one rule stands: inactive, pending (the condition holds, not yet for long enough) or firing.
 * Immutable: each evaluation produces the next state; {@link #next} is the whole state machine.
 */
public record AlertState(
    AlertRule rule,
    Phase phase,
    Instant since,
    OptionalDouble value,
    Instant evaluatedAt,
    String error) {

  public enum Phase { INACTIVE, PENDING, FIRING }

  /** What a transition means for the outside world. */
  public enum Change { NONE, FIRED, RESOLVED }

  public static AlertState initial(AlertRule rule) {
    return new AlertState(rule, Phase.INACTIVE, null, OptionalDouble.empty(), null, null);
  }

  /** The state after an evaluation that returned {@code value} (empty: no data, which never fires). */
  public AlertState next(OptionalDouble value, Instant now) {
    boolean holds = value.isPresent() && rule.comparison().holds(value.getAsDouble(), rule.threshold());
    if (!holds) {
      return new AlertState(rule, Phase.INACTIVE, phase == Phase.INACTIVE ? since : now, value, now, null);
    }
    return switch (phase) {
      case INACTIVE -> rule.forDuration().isZero()
          ? new AlertState(rule, Phase.FIRING, now, value, now, null)
          : new AlertState(rule, Phase.PENDING, now, value, now, null);
      case PENDING -> !now.isBefore(since.plus(rule.forDuration()))
          ? new AlertState(rule, Phase.FIRING, now, value, now, null)
          : new AlertState(rule, Phase.PENDING, since, value, now, null);
      case FIRING -> new AlertState(rule, Phase.FIRING, since, value, now, null);
    };
  }

  /** A failed evaluation keeps the phase (a ClickHouse hiccup neither fires nor resolves) and records why. */
  public AlertState failed(String why, Instant now) {
    return new AlertState(rule, phase, since, value, now, why);
  }

  public Change changeFrom(AlertState before) {
    if (phase == Phase.FIRING && before.phase != Phase.FIRING) {
      return Change.FIRED;
    }
    if (phase != Phase.FIRING && before.phase == Phase.FIRING) {
      return Change.RESOLVED;
    }
    return Change.NONE;
  }

  public JsonObject toJson() {
    JsonObject labels = new JsonObject();
    rule.labels().forEach(labels::put);
    return new JsonObject()
        .put("name", rule.name())
        .put("description", rule.description())
        .put("state", phase.name().toLowerCase(java.util.Locale.ROOT))
        .put("since", since == null ? null : since.toString())
        .put("value", value.isPresent() ? value.getAsDouble() : null)
        .put("comparison", rule.comparison().symbol())
        .put("threshold", rule.threshold())
        .put("condition", rule.condition())
        .put("interval", rule.interval().toString())
        .put("for", rule.forDuration().toString())
        .put("labels", labels)
        .put("sql", rule.sql())
        .put("lastEvaluation", evaluatedAt == null ? null : evaluatedAt.toString())
        .put("error", error);
  }
}
