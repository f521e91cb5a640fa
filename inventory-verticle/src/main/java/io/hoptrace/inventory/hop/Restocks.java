package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.RestockRequest;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Restocks on their way through Kafka ({@code POST /restock}): published to {@code stock-restocks}
 * (key = productId) under a PRODUCER span that is a child of the caller's span, then applied by the
 * stock keeper inside its transaction like a reduction; whoever published one waits here for its
 * decision, told once the transaction that recorded it committed. The wait is in this process: when
 * another instance owns the product (ADR 001) it applies the restock and the caller here hears
 * nothing before its timeout (202 PENDING). A restock whose caller gave up is still applied; its
 * decision is final for its request id.
 */
public final class Restocks implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** Header of a direct reduction forwarded to the owner of its product through {@code stock-reductions}. */
  static final String FORWARDED = "hoptrace.inventory.forwarded";

  /** A restock's decision; {@code duplicate}: its request id had been decided before, nothing changed. */
  public record Restocked(Decision decision, boolean duplicate) {}

  private final InventoryConfig config;
  private final KafkaTracing tracing;
  private final Map<String, List<CompletableFuture<Restocked>>> waiting = new ConcurrentHashMap<>();
  private KafkaProducer<String, String> producer; // guarded by this

  Restocks(InventoryConfig config, KafkaTracing tracing) {
    this.config = config;
    this.tracing = tracing;
  }

  /**
   * Publishes a restock; the future completes with its decision once applied, or fails with
   * {@link StockKeeper.Unavailable} when Kafka did not take it. Blocks while the producer fetches
   * metadata: call it on a worker, never on the event loop.
   *
   * @param parent the context of the caller's span (the PRODUCER span's parent)
   */
  public CompletableFuture<Restocked> publish(RestockRequest request, Context parent) {
    CompletableFuture<Restocked> result = new CompletableFuture<>();
    waiting.computeIfAbsent(request.requestId(), k -> new CopyOnWriteArrayList<>()).add(result);
    ProducerRecord<String, String> record = new ProducerRecord<>(config.restocksTopic(), request.productId(), request.toJson().encode());
    Span span = tracing.startPublish(parent, record);
    try {
      producer().send(record, (metadata, error) -> {
        tracing.endPublish(span, metadata, error);
        if (error != null) {
          forget(request.requestId(), result);
          result.completeExceptionally(new StockKeeper.Unavailable("Kafka did not take the restock: " + error.getMessage()));
        }
      });
    } catch (RuntimeException e) {
      tracing.endPublish(span, null, e);
      forget(request.requestId(), result);
      result.completeExceptionally(new StockKeeper.Unavailable("Kafka did not take the restock: " + e.getMessage()));
    }
    return result;
  }

  /**
   * Publishes a direct reduction of a product another instance owns to {@code stock-reductions}
   * (key = productId, the {@link #FORWARDED} header): its owner decides it, as over HTTP, without a
   * result record. Completes once Kafka took it. Blocks while the producer fetches metadata: call it
   * on a worker.
   */
  public CompletableFuture<Void> forward(io.hoptrace.inventory.stock.ReductionRequest request, Context parent) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    String value = new io.vertx.core.json.JsonObject().put("orderId", request.requestId()).put("productId", request.productId())
        .put("quantity", request.quantity()).encode();
    ProducerRecord<String, String> record = new ProducerRecord<>(config.requestsTopic(), request.productId(), value);
    record.headers().add(FORWARDED, new byte[] {'1'});
    Span span = tracing.startPublish(parent, record);
    try {
      producer().send(record, (metadata, error) -> {
        tracing.endPublish(span, metadata, error);
        if (error != null) {
          result.completeExceptionally(new StockKeeper.Unavailable("Kafka did not take the reduction: " + error.getMessage()));
        } else {
          result.complete(null);
        }
      });
    } catch (RuntimeException e) {
      tracing.endPublish(span, null, e);
      result.completeExceptionally(new StockKeeper.Unavailable("Kafka did not take the reduction: " + e.getMessage()));
    }
    return result;
  }

  /** Stops waiting for a restock (its caller gave up); it is still applied. */
  public void forget(String requestId, CompletableFuture<Restocked> waiter) {
    waiting.computeIfPresent(requestId, (k, list) -> {
      list.remove(waiter);
      return list.isEmpty() ? null : list;
    });
  }

  /** A restock's transaction committed: its waiters hear the decision. */
  void applied(StockLedger.Outcome o) {
    List<CompletableFuture<Restocked>> w = waiting.remove(o.decision().requestId());
    if (w != null) {
      Restocked r = new Restocked(o.decision(), o.duplicate());
      w.forEach(f -> f.complete(r));
    }
  }

  private synchronized KafkaProducer<String, String> producer() {
    if (producer == null) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
      p.put(ProducerConfig.CLIENT_ID_CONFIG, config.consumerGroup() + "-restocks");
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
      p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(config.requestTimeout().toMillis(), 10_000));
      p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
      p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
      producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
    return producer;
  }

  /** Closes the producer (blocking) and fails every waiter. */
  @Override
  public void close() {
    KafkaProducer<String, String> p;
    synchronized (this) {
      p = producer;
      producer = null;
    }
    if (p != null) {
      p.close(CLOSE_TIMEOUT);
    }
    waiting.values().forEach(l -> l.forEach(f -> f.completeExceptionally(new StockKeeper.Unavailable("inventory is stopping"))));
    waiting.clear();
  }
}
