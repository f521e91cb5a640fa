package io.hoptrace.stack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's services in start order (each after what it depends on). Add a service here and
 * {@code ./stack up}, {@code start}, {@code stop} and {@code status} handle it.
 */
final class Services {
  private Services() {}

  static List<ServiceSpec> all(StackConfig config) {
    return List.of(inventory(config), order(config));
  }

  /** Inventory first: it seeds the catalogue that order reads. */
  static ServiceSpec inventory(StackConfig config) {
    int port = config.env().port("INVENTORY_HTTP_PORT", 8010);
    return new ServiceSpec("inventory", "inventory-verticle", "io.hoptrace.inventory.InventoryMain",
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
    return new ServiceSpec("order", "order-verticle", "io.hoptrace.order.OrderMain",
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

  /** What every service gets: the stack's Kafka, its own service name, the collector's OTLP endpoint. */
  private static Map<String, String> common(StackConfig c, String serviceName) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", c.kafkaBootstrapServers());
    env.put("OTEL_SERVICE_NAME", serviceName);
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", c.env().string("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"));
    return env;
  }
}
