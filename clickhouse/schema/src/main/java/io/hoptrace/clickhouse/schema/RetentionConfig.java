package io.hoptrace.clickhouse.schema;

import io.hoptrace.config.Env;

/**
 * How long telemetry is kept, in days; 0 keeps it forever. Logs are kept by severity: the more
 * severe, the longer (INFO and below 1 month, WARN 2, ERROR and FATAL 3).
 */
public record RetentionConfig(int tracesDays, int metricsDays, int logsInfoDays, int logsWarnDays, int logsErrorDays) {
  public static final RetentionConfig DEFAULT = new RetentionConfig(30, 90, 30, 60, 90);

  public RetentionConfig {
    check("traces", tracesDays);
    check("metrics", metricsDays);
    check("logs INFO", logsInfoDays);
    check("logs WARN", logsWarnDays);
    check("logs ERROR", logsErrorDays);
  }

  /** {@code CLICKHOUSE_TTL_TRACES_DAYS}, {@code _METRICS_DAYS}, {@code _LOGS_INFO_DAYS}, {@code _LOGS_WARN_DAYS}, {@code _LOGS_ERROR_DAYS}. */
  public static RetentionConfig fromEnv(Env env) {
    int max = 36_500;
    return new RetentionConfig(
        env.integer("CLICKHOUSE_TTL_TRACES_DAYS", DEFAULT.tracesDays, 0, max),
        env.integer("CLICKHOUSE_TTL_METRICS_DAYS", DEFAULT.metricsDays, 0, max),
        env.integer("CLICKHOUSE_TTL_LOGS_INFO_DAYS", DEFAULT.logsInfoDays, 0, max),
        env.integer("CLICKHOUSE_TTL_LOGS_WARN_DAYS", DEFAULT.logsWarnDays, 0, max),
        env.integer("CLICKHOUSE_TTL_LOGS_ERROR_DAYS", DEFAULT.logsErrorDays, 0, max));
  }

  private static void check(String what, int days) {
    if (days < 0) {
      throw new IllegalArgumentException("retention of " + what + " must be >= 0 days (0 = forever), got " + days);
    }
  }
}
