package io.hoptrace.stack;

import io.hoptrace.config.Env;
import java.util.HashMap;
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
    return List.of(collector(config.env()), inventory(config), order(config));
  }

  /**
   * OTLP in, Kafka as the buffer, ClickHouse out (and the trace explorer: all roles by default): started
   * after Kafka and ClickHouse and before the services that send to it. Every {@code COLLECTOR_*}
   * variable of the environment reaches it.
   */
  static ServiceSpec collector(Env env) {
    int grpc = env.port("COLLECTOR_OTLP_GRPC_PORT", 4317);
    int http = env.port("COLLECTOR_OTLP_HTTP_PORT", 4318);
    int health = env.port("COLLECTOR_HEALTH_PORT", 13133);
    int query = env.port("COLLECTOR_QUERY_PORT", 16686);
    return new ServiceSpec(
        "collector",
        "collector/app/target/collector.jar",
        "io.hoptrace.collector.CollectorMain",
        List.of(new PortClaim(grpc, "collector OTLP/gRPC", "COLLECTOR_OTLP_GRPC_PORT"),
            new PortClaim(http, "collector OTLP/HTTP", "COLLECTOR_OTLP_HTTP_PORT"),
            new PortClaim(health, "collector health", "COLLECTOR_HEALTH_PORT"),
            new PortClaim(query, "trace explorer", "COLLECTOR_QUERY_PORT")),
        "http://127.0.0.1:" + health + "/",
        List.of("OTLP/gRPC        127.0.0.1:" + grpc,
            "OTLP/HTTP        http://127.0.0.1:" + http + "  (POST /v1/traces, /v1/metrics, /v1/logs)",
            "collector health http://127.0.0.1:" + health + "/",
            "trace explorer   http://127.0.0.1:" + query + "/"),
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
          e.put("COLLECTOR_QUERY_PORT", Integer.toString(query));
          return e;
        });
  }

  /** Inventory first: it seeds the catalogue that order reads. */
  static ServiceSpec inventory(StackConfig config) {
    int port = config.env().port("INVENTORY_HTTP_PORT", 8010);
    return new ServiceSpec("inventory", "inventory-verticle/target/inventory-verticle.jar", "io.hoptrace.inventory.InventoryMain",
        List.of(new PortClaim(port, "inventory HTTP", "INVENTORY_HTTP_PORT")),
        "http://127.0.0.1:" + port + "/health",
        List.of("inventory API    http://127.0.0.1:" + port + "  (OpenAPI + Swagger UI: /docs)"),
        c -> {
          Map<String, String> env = common(c, "inventory");
          env.put("INVENTORY_HTTP_HOST", "127.0.0.1");
          env.put("INVENTORY_HTTP_PORT", String.valueOf(port));
          return env;
        });
  }

  static ServiceSpec order(StackConfig config) {
    int port = config.env().port("ORDER_HTTP_PORT", 8000);
    int inventoryPort = config.env().port("INVENTORY_HTTP_PORT", 8010);
    return new ServiceSpec("order", "order-verticle/target/order-verticle.jar", "io.hoptrace.order.OrderMain",
        List.of(new PortClaim(port, "order HTTP", "ORDER_HTTP_PORT")),
        "http://127.0.0.1:" + port + "/health",
        List.of("order API        http://127.0.0.1:" + port + "  (OpenAPI + Swagger UI: /docs)"),
        c -> {
          Map<String, String> env = common(c, "order");
          env.put("ORDER_HTTP_HOST", "127.0.0.1");
          env.put("ORDER_HTTP_PORT", String.valueOf(port));
          env.put("INVENTORY_URL", c.env().string("INVENTORY_URL", "http://127.0.0.1:" + inventoryPort));
          return env;
        });
  }

  /**
   * What every service gets: the standard OpenTelemetry variables of the stack's environment, the
   * stack's Kafka, its own service name, the collector's OTLP endpoint.
   */
  private static Map<String, String> common(StackConfig c, String serviceName) {
    Map<String, String> env = new HashMap<>(c.env().withPrefix("OTEL_"));
    env.put("KAFKA_BOOTSTRAP_SERVERS", c.kafkaBootstrapServers());
    env.put("OTEL_SERVICE_NAME", serviceName);
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", c.env().string("OTEL_EXPORTER_OTLP_ENDPOINT",
        "http://127.0.0.1:" + c.env().port("COLLECTOR_OTLP_HTTP_PORT", 4318))); // the collector ./stack started
    return env;
  }
}
