package io.hoptrace.collector;

import io.hoptrace.collector.health.HealthConfig;
import io.hoptrace.collector.buffer.TelemetryTopics;
import io.hoptrace.collector.ingester.IngesterConfig;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.collector.receiver.ReceiverConfig;
import io.hoptrace.config.Env;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a collector process needs, read once from the environment (and {@code --roles}).
 *
 * @param roles {@code --roles} or {@code COLLECTOR_ROLES} (receiver,ingester,query)
 * @param signals {@code --signals} or {@code COLLECTOR_SIGNALS} (traces,metrics,logs): what the receiver accepts and the
 *     ingester consumes; a dedicated collector serves a subset
 * @param query the query role's settings, read only when it runs
 * @param selfMetricsInterval {@code COLLECTOR_SELF_METRICS_INTERVAL} (15s; 0 = off)
 * @param selfMetricsEndpoint {@code COLLECTOR_SELF_METRICS_ENDPOINT} (this process's OTLP/HTTP port)
 */
public record CollectorConfig(
    Set<Role> roles,
    Set<Signal> signals,
    ReceiverConfig receiver,
    IngesterConfig ingester,
    HealthConfig health,
    java.util.Optional<io.hoptrace.collector.query.QueryConfig> query,
    Duration selfMetricsInterval,
    String selfMetricsEndpoint) {

  public CollectorConfig {
    roles = Set.copyOf(roles);
    signals = Set.copyOf(signals);
  }

  public static CollectorConfig fromEnv(Env env, List<String> args) {
    Set<Role> roles = EnumSet.allOf(Role.class);
    String source = null;
    Set<Signal> signals = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--roles") && i + 1 < args.size()) {
        roles = Role.parse(args.get(++i), "--roles");
        source = "--roles";
      } else if (a.startsWith("--roles=")) {
        roles = Role.parse(a.substring(8), "--roles");
        source = "--roles";
      } else if (a.equals("--signals") && i + 1 < args.size()) {
        signals = Signal.parse(args.get(++i), "--signals");
      } else if (a.startsWith("--signals=")) {
        signals = Signal.parse(a.substring(10), "--signals");
      } else {
        throw new IllegalArgumentException("unknown argument '" + a + "'; usage: CollectorMain [--roles receiver,ingester,query]"
            + " [--signals traces,metrics,logs]");
      }
    }
    if (source == null && env.optional("COLLECTOR_ROLES").isPresent()) {
      roles = Role.parse(env.optional("COLLECTOR_ROLES").get(), "COLLECTOR_ROLES");
    }
    if (signals == null) {
      signals = TelemetryTopics.signalsFromEnv(env);
    }
    ReceiverConfig receiver = ReceiverConfig.fromEnv(env).withSignals(signals);
    return new CollectorConfig(
        roles,
        signals,
        receiver,
        IngesterConfig.fromEnv(env).withSignals(signals),
        HealthConfig.fromEnv(env),
        roles.contains(Role.QUERY) ? java.util.Optional.of(io.hoptrace.collector.query.QueryConfig.fromEnv(env)) : java.util.Optional.empty(),
        selfMetricsInterval(env),
        env.string("COLLECTOR_SELF_METRICS_ENDPOINT", receiver.scheme() + "://" + receiver.host() + ":" + receiver.httpPort()));
  }

  /** {@code 0} or {@code off} turns self-metrics off. */
  static Duration selfMetricsInterval(Env env) {
    String raw = env.optional("COLLECTOR_SELF_METRICS_INTERVAL").orElse("15s");
    if (raw.equals("0") || raw.equalsIgnoreCase("off")) {
      return Duration.ZERO;
    }
    return env.duration("COLLECTOR_SELF_METRICS_INTERVAL", Duration.ofSeconds(15));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
