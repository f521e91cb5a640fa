package io.hoptrace.order;

import io.hoptrace.kafka.Topics;
import io.hoptrace.config.Env;
import java.net.URI;
import java.time.Duration;

/**
 * Settings of the order service, each from an environment variable (docs/configuration.md, "Order and
 * inventory services"), with its default.
 *
 * @param httpHost {@code ORDER_HTTP_HOST}, 127.0.0.1
 * @param httpPort {@code ORDER_HTTP_PORT}, 8000
 * @param inventoryUrl {@code INVENTORY_URL}, http://127.0.0.1:8010 (for {@code /list-products})
 * @param kafkaBootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}, 127.0.0.1:9092
 * @param requestsTopic {@code STOCK_REDUCTIONS_TOPIC}, stock-reductions
 * @param resultsTopic {@code STOCK_REDUCTION_RESULTS_TOPIC}, stock-reduction-results
 * @param stockTopic {@code INVENTORY_STOCK_TOPIC}, inventory-stock (the product catalogue)
 * @param resultTimeout {@code ORDER_RESULT_TIMEOUT}, 5s: how long {@code POST /order-product}
 *     waits for inventory's answer before answering 202 PENDING
 * @param publishTimeout {@code ORDER_PUBLISH_TIMEOUT}, 3s (at most the result timeout): how long
 *     Kafka may take to acknowledge the request before the order is refused with 503
 * @param transactionalId {@code ORDER_TRANSACTIONAL_ID}, {@code order-<host name>-<ORDER_HTTP_PORT>}: the
 *     Kafka transactional id of the request publisher; unique per instance (also across machines),
 *     the same across its restarts
 * @param memory {@code ORDER_MEMORY_ORDERS} (100000) and {@code ORDER_MEMORY_WINDOW} (7d): which orders
 *     this instance keeps in memory and rebuilds at start (see {@link io.hoptrace.order.orders.OrderBook.Bound})
 */
public record OrderConfig(
    String httpHost,
    int httpPort,
    URI inventoryUrl,
    String kafkaBootstrapServers,
    String requestsTopic,
    String resultsTopic,
    String stockTopic,
    Duration resultTimeout,
    Duration publishTimeout,
    String transactionalId,
    io.hoptrace.order.orders.OrderBook.Bound memory) {

  /** Largest quantity one order may ask for. */
  public static final int MAX_QUANTITY = 1000;

  public OrderConfig {
    if (resultTimeout.isNegative() || resultTimeout.isZero()) {
      throw new Env.ConfigException("ORDER_RESULT_TIMEOUT=" + resultTimeout + " is invalid: must be positive");
    }
    if (publishTimeout.toMillis() < 1000 || publishTimeout.compareTo(resultTimeout) > 0) {
      throw new Env.ConfigException("ORDER_PUBLISH_TIMEOUT=" + publishTimeout.toMillis() + "ms is invalid: must be at least 1s and at most ORDER_RESULT_TIMEOUT ("
          + resultTimeout.toMillis() + "ms)");
    }
  }

  public static OrderConfig fromEnv(Env env) {
    Duration result = env.duration("ORDER_RESULT_TIMEOUT", Duration.ofSeconds(5));
    Duration publish = env.duration("ORDER_PUBLISH_TIMEOUT", result.compareTo(Duration.ofSeconds(3)) < 0 ? result : Duration.ofSeconds(3));
    String inventory = env.string("INVENTORY_URL", "http://127.0.0.1:8010");
    URI inventoryUrl;
    try {
      inventoryUrl = URI.create(inventory);
      if (inventoryUrl.getHost() == null || !inventoryUrl.getScheme().matches("https?")) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
    } catch (RuntimeException e) {
      throw new Env.ConfigException("INVENTORY_URL=" + inventory + " is invalid: use e.g. http://127.0.0.1:8010");
    }
    int port = env.port("ORDER_HTTP_PORT", 8000);
    return new OrderConfig(
        env.string("ORDER_HTTP_HOST", "127.0.0.1"),
        port,
        inventoryUrl,
        env.string("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        env.string("STOCK_REDUCTIONS_TOPIC", Topics.STOCK_REDUCTIONS),
        env.string("STOCK_REDUCTION_RESULTS_TOPIC", Topics.STOCK_REDUCTION_RESULTS),
        env.string("INVENTORY_STOCK_TOPIC", Topics.INVENTORY_STOCK),
        result,
        publish,
        env.string("ORDER_TRANSACTIONAL_ID", "order-" + hostName() + "-" + port),
        memory(env));
  }

  static io.hoptrace.order.orders.OrderBook.Bound memory(Env env) {
    int orders = env.integer("ORDER_MEMORY_ORDERS", 100_000, 1, 100_000_000);
    Duration window = env.duration("ORDER_MEMORY_WINDOW", Duration.ofDays(7));
    if (window.isNegative() || window.isZero()) {
      throw new Env.ConfigException("ORDER_MEMORY_WINDOW=" + window + " is invalid: must be positive (e.g. 7d)");
    }
    return new io.hoptrace.order.orders.OrderBook.Bound(orders, window);
  }

  /** This machine's name (HOSTNAME, else what the OS says), so that instances on two machines get distinct transactional ids. */
  private static String hostName() {
    String h = System.getenv("HOSTNAME");
    if (h == null || h.isBlank()) {
      try {
        h = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        h = "localhost";
      }
    }
    return h.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
