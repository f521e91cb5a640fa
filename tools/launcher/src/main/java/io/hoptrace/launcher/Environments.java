package io.hoptrace.launcher;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.kafka.KafkaClientSecurity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Map;

/**
 * The one place that knows which environment variables each process needs: where Kafka and
 * ClickHouse are, which ports to bind, where to send telemetry, where inventory answers. Later
 * entries win: the environment's {@code COLLECTOR_*} / {@code OTEL_*} variables, then what the stack
 * decides (ports, addresses), then the configuration's per-role variables, then the caller's.
 */
final class Environments {
  private Environments() {}

  static Map<String, String> of(InstanceId id, Map<Port, Integer> ports, LaunchConfig config, Stack stack, Map<String, String> extra) {
    Role role = id.role();
    Map<String, String> env = new LinkedHashMap<>();
    // every process reaches Kafka the same way: TLS / SASL settings (HOPTRACE_KAFKA_SECURITY_PROTOCOL, ...)
    env.putAll(KafkaClientSecurity.variables(config.env()));
    // and replicates the topics it may create the same way as the launcher did
    for (String v : java.util.List.of(io.hoptrace.kafka.TopicReplication.FACTOR_VARIABLE, io.hoptrace.kafka.TopicReplication.MIN_INSYNC_VARIABLE)) {
      config.env().optional(v).ifPresent(value -> env.put(v, value));
    }
    if (role.isCollector()) {
      env.putAll(config.env().withPrefix("COLLECTOR_"));
      env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
      ClickHouseSettings ch = stack.clickHouse().settings();
      env.put("CLICKHOUSE_URL", ch.url());
      env.put("CLICKHOUSE_USER", ch.user());
      env.put("CLICKHOUSE_PASSWORD", ch.password());
      env.put("CLICKHOUSE_PASSWORD_FILE", ""); // read above (a Docker secret): inherited, it would clash with the password given
      env.put("CLICKHOUSE_DATABASE", ch.database());
      // a process without the receiver role names the receiver's ports: its self-metrics go there
      Map<Port, Integer> otlp = role.receivesOtlp() ? ports : stack.receiver().ports();
      env.put(Port.OTLP_GRPC.envVar(), Integer.toString(otlp.get(Port.OTLP_GRPC)));
      env.put(Port.OTLP_HTTP.envVar(), Integer.toString(otlp.get(Port.OTLP_HTTP)));
      env.put(Port.HEALTH.envVar(), Integer.toString(ports.get(Port.HEALTH)));
      if (ports.containsKey(Port.QUERY)) {
        env.put(Port.QUERY.envVar(), Integer.toString(ports.get(Port.QUERY)));
      }
    } else {
      env.putAll(config.env().withPrefix("OTEL_"));
      env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
      env.put("OTEL_SERVICE_NAME", role.id());
      // instances of a scaled stack spread over the receivers: service instance i uses receiver i (round robin)
      spread(stack, id, stack.all(Role.COLLECTOR).isEmpty() ? Role.RECEIVER : Role.COLLECTOR).ifPresent(receiver -> {
        // a secured receiver: https and its certificate trusted, its bearer token sent (unless the caller says otherwise)
        Optional<String> cert = config.env().optional("COLLECTOR_TLS_CERT_FILE");
        String url = ((JvmInstance) receiver).url();
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", cert.isPresent() ? url.replaceFirst("^http:", "https:") : url);
        cert.ifPresent(c -> env.putIfAbsent("OTEL_EXPORTER_OTLP_CERTIFICATE", c));
        config.env().secret("COLLECTOR_AUTH_TOKEN").ifPresent(t -> env.putIfAbsent("OTEL_EXPORTER_OTLP_HEADERS",
            "Authorization=" + URLEncoder.encode("Bearer " + t, StandardCharsets.UTF_8).replace("+", "%20")));
      });
      switch (role) {
        case INVENTORY -> {
          env.put("INVENTORY_HTTP_HOST", "127.0.0.1");
          env.put("INVENTORY_HTTP_PORT", Integer.toString(ports.get(Port.INVENTORY_HTTP)));
        }
        case ORDER -> {
          env.put("ORDER_HTTP_HOST", "127.0.0.1");
          env.put("ORDER_HTTP_PORT", Integer.toString(ports.get(Port.ORDER_HTTP)));
          spread(stack, id, Role.INVENTORY).ifPresent(inventory -> env.put("INVENTORY_URL", ((JvmInstance) inventory).url()));
        }
        default -> throw new IllegalArgumentException(role.id() + " is not a service");
      }
    }
    env.putAll(config.roleEnv().getOrDefault(role, Map.of()));
    env.putAll(extra);
    if (!role.isCollector() && !env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")) {
      // never the default port: that may be someone else's collector
      throw new IllegalStateException("start a collector (or a receiver) before " + id.name() + ": its telemetry goes there");
    }
    return env;
  }

  /** Of the running instances of {@code role}, the one instance {@code id} talks to: round robin by index. */
  private static Optional<Instance> spread(Stack stack, InstanceId id, Role role) {
    java.util.List<Instance> all = stack.all(role);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get((id.index() - 1) % all.size()));
  }
}
