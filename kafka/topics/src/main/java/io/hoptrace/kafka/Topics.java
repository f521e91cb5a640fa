package io.hoptrace.kafka;

import java.util.List;
import java.util.Map;

/**
 * Every topic of the project with its deliberate settings. The names are a contract (docs/ and every
 * component rely on them); components may be pointed at other names (tests use private copies) but
 * keep these settings.
 */
public final class Topics {
  private Topics() {}

  /** Largest record the telemetry topics take; the receiver splits requests above it. */
  public static final int TELEMETRY_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  private static final String FOREVER = "-1";
  private static final long DAY_MS = 24L * 3600 * 1000;

  // ---- business: order <-> inventory, the source of truth for state (kept forever, replayable)
  public static final String STOCK_REDUCTIONS = "stock-reductions";
  public static final String STOCK_REDUCTION_RESULTS = "stock-reduction-results";
  /** Restocks (POST /restock on inventory), key = productId: applied by inventory in its stock transactions. */
  public static final String STOCK_RESTOCKS = "stock-restocks";

  // ---- state: the latest value per key, compacted; services rebuild their memory from them
  /** Inventory's products and stock levels, key = productId. Written by inventory, read by order (its catalogue). */
  public static final String INVENTORY_STOCK = "inventory-stock";
  /** Inventory's decision per stock-reduction request, key = orderId (or requestId): what makes processing idempotent. */
  public static final String INVENTORY_DECISIONS = "inventory-decisions";

  // ---- telemetry: the collector's buffer between OTLP receivers and the ClickHouse ingester
  public static final String OTLP_SPANS = "otlp_spans";
  public static final String OTLP_METRICS = "otlp_metrics";
  public static final String OTLP_LOGS = "otlp_logs";

  /** Dead-letter topic of a telemetry topic: records that can never be ingested, with the reason. */
  public static String deadLetter(String topic) {
    return topic + ".dlq";
  }

  public static TopicSpec stockReductions() {
    return business(STOCK_REDUCTIONS);
  }

  public static TopicSpec stockReductionResults() {
    return business(STOCK_REDUCTION_RESULTS);
  }

  public static TopicSpec stockRestocks() {
    return business(STOCK_RESTOCKS);
  }

  public static TopicSpec inventoryStock() {
    return state(INVENTORY_STOCK);
  }

  public static TopicSpec inventoryDecisions() {
    return decisions(INVENTORY_DECISIONS, DEDUPLICATION_WINDOW);
  }

  /** How long inventory's decisions are kept by default: the window within which a redelivery or replay is recognised. */
  public static final java.time.Duration DEDUPLICATION_WINDOW = java.time.Duration.ofDays(7);

  /**
   * Inventory's decisions: compacted (the latest per request id) and deleted after {@code window}
   * ({@code compact,delete}), so the topic, and inventory's rebuild from it, stays bounded. A request
   * redelivered or replayed within the window is recognised; an older one would be decided again.
   */
  public static TopicSpec decisions(String name, java.time.Duration window) {
    return new TopicSpec(name, 3, Map.of(
        "cleanup.policy", "compact,delete",
        "retention.ms", String.valueOf(window.toMillis()),
        "min.compaction.lag.ms", "0",
        "segment.ms", String.valueOf(Math.min(DAY_MS, Math.max(60_000L, window.toMillis() / 7))),
        "min.insync.replicas", "1"));
  }

  /** Business events: kept forever (state is rebuilt from them), 3 partitions keyed by id. */
  public static TopicSpec business(String name) {
    return new TopicSpec(name, 3, Map.of(
        "retention.ms", FOREVER,
        "cleanup.policy", "delete",
        "min.insync.replicas", "1"));
  }

  /** A state topic: the latest value per key, compacted, never deleted by time. */
  public static TopicSpec state(String name) {
    return new TopicSpec(name, 3, Map.of(
        "cleanup.policy", "compact",
        "min.compaction.lag.ms", "0",
        "segment.ms", String.valueOf(DAY_MS),
        "min.insync.replicas", "1"));
  }

  /** Telemetry buffer: 7 days (enough to ride out a long ClickHouse outage and to replay), large records. */
  public static TopicSpec telemetry(String name) {
    return new TopicSpec(name, 3, Map.of(
        "retention.ms", String.valueOf(7 * DAY_MS),
        "max.message.bytes", String.valueOf(TELEMETRY_MAX_MESSAGE_BYTES),
        "compression.type", "producer",
        "min.insync.replicas", "1"));
  }

  public static TopicSpec deadLetterOf(String telemetryTopic) {
    return new TopicSpec(deadLetter(telemetryTopic), 1, Map.of(
        "retention.ms", String.valueOf(30 * DAY_MS),
        "max.message.bytes", String.valueOf(TELEMETRY_MAX_MESSAGE_BYTES)));
  }

  /**
   * Topics {@code ./stack replay} re-delivers: their consumers are idempotent. A dead-letter topic's
   * records go back to the topic and partition they came from.
   */
  public static List<String> replayable() {
    return List.of(STOCK_REDUCTIONS, STOCK_REDUCTION_RESULTS, STOCK_RESTOCKS, OTLP_SPANS, OTLP_METRICS, OTLP_LOGS,
        deadLetter(OTLP_SPANS), deadLetter(OTLP_METRICS), deadLetter(OTLP_LOGS));
  }

  /** The topic whose dead letters {@code topic} holds, if it is a dead-letter topic ({@code <topic>.dlq}). */
  public static java.util.Optional<String> deadLetterOrigin(String topic) {
    return topic.endsWith(".dlq") && topic.length() > 4
        ? java.util.Optional.of(topic.substring(0, topic.length() - 4)) : java.util.Optional.empty();
  }

  /** The full catalogue under the contract names, in creation order. */
  public static List<TopicSpec> all() {
    return List.of(
        stockReductions(),
        stockReductionResults(),
        stockRestocks(),
        inventoryStock(),
        inventoryDecisions(),
        telemetry(OTLP_SPANS),
        telemetry(OTLP_METRICS),
        telemetry(OTLP_LOGS),
        deadLetterOf(OTLP_SPANS),
        deadLetterOf(OTLP_METRICS),
        deadLetterOf(OTLP_LOGS));
  }
}
