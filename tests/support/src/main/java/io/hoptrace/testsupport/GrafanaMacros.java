package io.hoptrace.testsupport;

import java.time.Instant;

/**
 * Expands the Grafana ClickHouse plugin's macros the way the plugin does, so tests can run a
 * dashboard panel's SQL against a real ClickHouse: {@code $__timeFilter(c)} becomes
 * {@code c >= toDateTime(from) AND c <= toDateTime(to)}, {@code $__timeInterval(c)} becomes
 * {@code toStartOfInterval(toDateTime(c), INTERVAL n second)}, {@code $__interval_s} the interval;
 * the dashboards' {@code service} variable selects every service, and {@code otel.} becomes the
 * test's database.
 */
public final class GrafanaMacros {
  private GrafanaMacros() {}

  public static String expand(String sql, Instant from, Instant to, int intervalSeconds, String database) {
    return sql
        .replaceAll("\\$__timeFilter\\(([^)]+)\\)", "$1 >= toDateTime(" + from.getEpochSecond() + ") AND $1 <= toDateTime(" + to.getEpochSecond() + ")")
        .replaceAll("\\$__timeInterval\\(([^)]+)\\)", "toStartOfInterval(toDateTime($1), INTERVAL " + intervalSeconds + " second)")
        .replace("$__interval_s", String.valueOf(intervalSeconds))
        .replace("${service:singlequote}", "'order','inventory','collector'")
        .replace("otel.", database + ".");
  }
}
