package io.hoptrace.collector.query;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.collector.query.alerts.AlertRules;
import io.hoptrace.config.Env;
import io.hoptrace.web.HttpAuth;
import java.time.Duration;
import java.util.Optional;

/**
 * The query role's settings, read once from the environment.
 *
 * @param host {@code COLLECTOR_QUERY_HOST}, default {@code 127.0.0.1}
 * @param port {@code COLLECTOR_QUERY_PORT}, default {@code 16686}
 * @param publicUrl {@code COLLECTOR_QUERY_PUBLIC_URL}: how people reach the explorer (links in alert
 *     notifications); default {@code http://<host>:<port>}
 * @param clickHouse where the telemetry is and as whom it is read ({@code CLICKHOUSE_URL}, ...,
 *     {@code CLICKHOUSE_QUERY_USER} / {@code _PASSWORD}, else {@code CLICKHOUSE_USER} / {@code _PASSWORD})
 * @param queryTimeout {@code COLLECTOR_QUERY_TIMEOUT}, default {@code 15s}: longest a ClickHouse query may run
 * @param alertRules the rules of {@code ALERT_RULES_FILE} (the bundled defaults when unset), already validated
 * @param auth who may see the pages and the API ({@code COLLECTOR_QUERY_AUTH_TOKEN}: a bearer token;
 *     {@code COLLECTOR_QUERY_BASIC_AUTH}: {@code user:password}, which browsers ask for; each also as a
 *     {@code _FILE}); unset: anyone. {@code /api/health} stays open.
 */
public record QueryConfig(
    String host,
    int port,
    String publicUrl,
    ClickHouseSettings clickHouse,
    Duration queryTimeout,
    AlertRules alertRules,
    HttpAuth auth) {

  public static final int DEFAULT_PORT = 16686;

  public static QueryConfig fromEnv(Env env) {
    String host = env.string("COLLECTOR_QUERY_HOST", "127.0.0.1");
    int port = env.port("COLLECTOR_QUERY_PORT", DEFAULT_PORT);
    Duration timeout = env.duration("COLLECTOR_QUERY_TIMEOUT", Duration.ofSeconds(15));
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new Env.ConfigException("COLLECTOR_QUERY_TIMEOUT=" + timeout + " is invalid: must be between 1ms and 10m");
    }
    String publicUrl = env.string("COLLECTOR_QUERY_PUBLIC_URL", "http://" + host + ":" + port);
    Optional<String> webhook = env.optional("ALERT_WEBHOOK_URL");
    AlertRules rules = env.optional("ALERT_RULES_FILE")
        .map(f -> AlertRules.fromFile(java.nio.file.Path.of(f), webhook))
        .orElseGet(() -> AlertRules.defaults(webhook));
    Optional<String> basic = env.secret("COLLECTOR_QUERY_BASIC_AUTH");
    if (basic.isPresent() && basic.get().indexOf(':') < 1) {
      throw new Env.ConfigException("COLLECTOR_QUERY_BASIC_AUTH is invalid: use user:password");
    }
    HttpAuth auth = new HttpAuth(env.secret("COLLECTOR_QUERY_AUTH_TOKEN"), basic, "hoptrace explorer");
    return new QueryConfig(host, port, publicUrl, ClickHouseSettings.fromEnv(env, ClickHouseSettings.Purpose.QUERY), timeout, rules, auth);
  }
}
