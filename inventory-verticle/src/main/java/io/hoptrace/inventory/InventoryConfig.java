package io.hoptrace.inventory;

import io.hoptrace.kafka.Topics;
import io.hoptrace.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the inventory service, each from an environment variable (docs/configuration.md,
 * "Order and inventory services"), with its default.
 *
 * @param httpHost {@code INVENTORY_HTTP_HOST}, 127.0.0.1
 * @param httpPort {@code INVENTORY_HTTP_PORT}, 8010
 * @param kafkaBootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}, 127.0.0.1:9092
 * @param requestsTopic {@code STOCK_REDUCTIONS_TOPIC}, stock-reductions
 * @param resultsTopic {@code STOCK_REDUCTION_RESULTS_TOPIC}, stock-reduction-results
 * @param restocksTopic {@code STOCK_RESTOCKS_TOPIC}, stock-restocks ({@code POST /restock} requests)
 * @param stockTopic {@code INVENTORY_STOCK_TOPIC}, inventory-stock (compacted state)
 * @param decisionsTopic {@code INVENTORY_DECISIONS_TOPIC}, inventory-decisions (compacted state)
 * @param consumerGroup {@code INVENTORY_CONSUMER_GROUP}, inventory
 * @param transactionalId {@code INVENTORY_TRANSACTIONAL_ID}, {@code <consumer group>-stock-keeper-<INVENTORY_HTTP_PORT>}
 *     (a random suffix when the port is 0): unique per instance, the same across its restarts; also
 *     its static group member id
 * @param seedFile {@code INVENTORY_SEED_FILE}: a JSON array of products seeded when the stock topic
 *     is empty; the built-in catalogue when unset
 * @param requestTimeout {@code INVENTORY_REQUEST_TIMEOUT}, 5s: how long {@code POST /reduce-stock}
 *     waits for its Kafka transaction before answering 503, and {@code POST /restock} for its
 *     restock to be applied before answering 202 (pending)
 * @param decisionsWindow {@code INVENTORY_DECISIONS_WINDOW}, 7d: how long decisions are kept in
 *     {@code inventory-decisions} ({@code retention.ms}): the window within which a redelivered or
 *     replayed request is recognised and not applied twice
 */
public record InventoryConfig(
    String httpHost,
    int httpPort,
    String kafkaBootstrapServers,
    String requestsTopic,
    String resultsTopic,
    String restocksTopic,
    String stockTopic,
    String decisionsTopic,
    String consumerGroup,
    String transactionalId,
    Optional<Path> seedFile,
    Duration requestTimeout,
    Duration decisionsWindow) {

  /** Largest quantity one request may ask for: anything above is a typo or an attack. */
  public static final int MAX_QUANTITY = 1000;

  public static InventoryConfig fromEnv(Env env) {
    String group = env.string("INVENTORY_CONSUMER_GROUP", "inventory");
    return new InventoryConfig(
        env.string("INVENTORY_HTTP_HOST", "127.0.0.1"),
        env.port("INVENTORY_HTTP_PORT", 8010),
        env.string("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        env.string("STOCK_REDUCTIONS_TOPIC", Topics.STOCK_REDUCTIONS),
        env.string("STOCK_REDUCTION_RESULTS_TOPIC", Topics.STOCK_REDUCTION_RESULTS),
        env.string("STOCK_RESTOCKS_TOPIC", Topics.STOCK_RESTOCKS),
        env.string("INVENTORY_STOCK_TOPIC", Topics.INVENTORY_STOCK),
        env.string("INVENTORY_DECISIONS_TOPIC", Topics.INVENTORY_DECISIONS),
        group,
        env.string("INVENTORY_TRANSACTIONAL_ID", group + "-stock-keeper-" + instanceSuffix(env.port("INVENTORY_HTTP_PORT", 8010))),
        env.optional("INVENTORY_SEED_FILE").map(Path::of),
        positive(env, "INVENTORY_REQUEST_TIMEOUT", env.duration("INVENTORY_REQUEST_TIMEOUT", Duration.ofSeconds(5))),
        positive(env, "INVENTORY_DECISIONS_WINDOW", env.duration("INVENTORY_DECISIONS_WINDOW", Topics.DEDUPLICATION_WINDOW)));
  }

  /** The HTTP port (one instance per port on a host), or a random suffix for port 0. */
  private static String instanceSuffix(int port) {
    return port != 0 ? String.valueOf(port) : java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  static Duration positive(Env env, String name, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new Env.ConfigException(name + "=" + d + " is invalid: must be positive");
    }
    return d;
  }
}
