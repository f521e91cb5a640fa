package io.hoptrace.collector.query.alerts;

import io.hoptrace.collector.query.clickhouse.ClickHouseHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every rule on its own interval against ClickHouse, moves its {@link AlertState}, and on
 * firing or resolving logs the change and POSTs a notification to the rule's webhook. Runs on the
 * verticle's event loop; queries are asynchronous, and a rule whose previous evaluation is still
 * running skips a tick instead of piling up.
 */
public final class AlertEvaluator {
  private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);

  private final Vertx vertx;
  private final ClickHouseHttp clickHouse;
  private final WebhookNotifier notifier;
  private final String explorerUrl;
  private final Clock clock;
  private final Map<String, AlertState> states = new ConcurrentHashMap<>();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final List<Long> timers = new ArrayList<>();
  private final List<AlertRule> rules;

  public AlertEvaluator(Vertx vertx, ClickHouseHttp clickHouse, WebhookNotifier notifier, AlertRules rules, String explorerUrl, Clock clock) {
    this.vertx = vertx;
    this.clickHouse = clickHouse;
    this.notifier = notifier;
    this.explorerUrl = explorerUrl;
    this.clock = clock;
    this.rules = rules.rules();
    this.rules.forEach(r -> states.put(r.name(), AlertState.initial(r)));
  }

  public void start() {
    for (AlertRule rule : rules) {
      vertx.setTimer(1, id -> evaluate(rule));
      timers.add(vertx.setPeriodic(rule.interval().toMillis(), id -> evaluate(rule)));
    }
    log.info("evaluating {} alert rule(s)", rules.size());
  }

  public void stop() {
    timers.forEach(vertx::cancelTimer);
  }

  /** All rules in file order with their state; firing ones first in {@code active}. */
  public JsonObject toJson() {
    JsonArray all = new JsonArray();
    JsonArray active = new JsonArray();
    Map<String, AlertState> snapshot = new LinkedHashMap<>();
    rules.forEach(r -> snapshot.put(r.name(), states.get(r.name())));
    snapshot.values().forEach(s -> {
      all.add(s.toJson());
      if (s.phase() == AlertState.Phase.FIRING) {
        active.add(s.toJson());
      }
    });
    return new JsonObject().put("rules", all).put("active", active).put("firing", active.size());
  }

  private void evaluate(AlertRule rule) {
    if (!running.add(rule.name())) {
      return;
    }
    clickHouse.number(rule.sql(), Map.of())
        .onSuccess(value -> {
          AlertState before = states.get(rule.name());
          AlertState after = before.next(value, clock.instant());
          states.put(rule.name(), after);
          AlertState.Change change = after.changeFrom(before);
          if (change != AlertState.Change.NONE) {
            announce(before, after, change);
          }
        })
        .onFailure(e -> {
          AlertState before = states.get(rule.name());
          if (before.error() == null) {
            log.warn("alert rule '{}' could not be evaluated: {}", rule.name(), e.getMessage());
          }
          states.put(rule.name(), before.failed(e.getMessage(), clock.instant()));
        })
        .onComplete(x -> running.remove(rule.name()));
  }

  private void announce(AlertState before, AlertState after, AlertState.Change change) {
    AlertRule rule = after.rule();
    boolean fired = change == AlertState.Change.FIRED;
    String value = after.value().isPresent() ? AlertRules.number(after.value().getAsDouble()) : "no data";
    if (fired) {
      log.warn("ALERT FIRING {}: value {} {} (labels {})", rule.name(), value, rule.condition(), rule.labels());
    } else {
      log.info("ALERT RESOLVED {}: value {} no longer {} (labels {})", rule.name(), value, rule.condition(), rule.labels());
    }
    JsonObject labels = new JsonObject();
    rule.labels().forEach(labels::put);
    JsonObject notification = new JsonObject()
        .put("status", fired ? "firing" : "resolved")
        .put("rule", rule.name())
        .put("description", rule.description())
        .put("labels", labels)
        .put("value", after.value().isPresent() ? after.value().getAsDouble() : null)
        .put("comparison", rule.comparison().symbol())
        .put("threshold", rule.threshold())
        .put("startsAt", fired ? after.since().toString() : before.since().toString())
        .put("endsAt", fired ? null : after.since().toString())
        .put("explorerUrl", explorerUrl + "/alerts")
        .put("source", "hoptrace");
    rule.webhook().ifPresent(url -> notifier.send(url, notification)
        .onSuccess(v -> log.info("alert {} '{}' delivered to {}", fired ? "firing" : "resolved", rule.name(), url))
        .onFailure(e -> log.error("alert {} '{}' NOT delivered: {}", fired ? "firing" : "resolved", rule.name(), e.getMessage())));
  }
}
