package io.hoptrace.collector.health;

import io.hoptrace.config.Env;

/**
 * @param host {@code COLLECTOR_HOST}
 * @param port {@code COLLECTOR_HEALTH_PORT} (13133)
 * @param maxLag consumer lag (records) above which the collector reports unhealthy ({@code COLLECTOR_HEALTH_MAX_LAG}, 1000000)
 */
public record HealthConfig(String host, int port, long maxLag) {
  public static HealthConfig fromEnv(Env env) {
    return new HealthConfig(env.string("COLLECTOR_HOST", "127.0.0.1"), env.port("COLLECTOR_HEALTH_PORT", 13133),
        env.longValue("COLLECTOR_HEALTH_MAX_LAG", 1_000_000, 1, Long.MAX_VALUE));
  }
}
