package io.hoptrace.stack;

import io.hoptrace.process.Env;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's services in start order (each after what it depends on). Add a service here and
 * {@code ./stack up}, {@code start}, {@code stop} and {@code status} handle it.
 */
final class Services {
  private Services() {}

  static List<ServiceSpec> all(StackConfig config) {
    return List.of(collector(config.env()));
  }

  /**
   * OTLP in, Kafka as the buffer, ClickHouse out: started after Kafka and ClickHouse and before the
   * services that send to it. Every {@code COLLECTOR_*} variable of the environment reaches it.
   */
  static ServiceSpec collector(Env env) {
    int grpc = env.port("COLLECTOR_OTLP_GRPC_PORT", 4317);
    int http = env.port("COLLECTOR_OTLP_HTTP_PORT", 4318);
    int health = env.port("COLLECTOR_HEALTH_PORT", 13133);
    return new ServiceSpec(
        "collector",
        "collector",
        "io.hoptrace.collector.CollectorMain",
        List.of(new PortClaim(grpc, "collector OTLP/gRPC", "COLLECTOR_OTLP_GRPC_PORT"),
            new PortClaim(http, "collector OTLP/HTTP", "COLLECTOR_OTLP_HTTP_PORT"),
            new PortClaim(health, "collector health", "COLLECTOR_HEALTH_PORT")),
        "http://127.0.0.1:" + health + "/",
        List.of("OTLP/gRPC        127.0.0.1:" + grpc,
            "OTLP/HTTP        http://127.0.0.1:" + http + "  (POST /v1/traces, /v1/metrics, /v1/logs)",
            "collector health http://127.0.0.1:" + health + "/"),
        config -> {
          Map<String, String> e = new LinkedHashMap<>();
          e.put("KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrapServers());
          e.put("CLICKHOUSE_URL", config.clickHouse().url());
          e.put("CLICKHOUSE_USER", config.clickHouse().user());
          e.put("CLICKHOUSE_PASSWORD", config.clickHouse().password());
          e.put("CLICKHOUSE_DATABASE", config.clickHouse().database());
          e.put("COLLECTOR_OTLP_GRPC_PORT", Integer.toString(grpc));
          e.put("COLLECTOR_OTLP_HTTP_PORT", Integer.toString(http));
          e.put("COLLECTOR_HEALTH_PORT", Integer.toString(health));
          return e;
        });
  }
}
