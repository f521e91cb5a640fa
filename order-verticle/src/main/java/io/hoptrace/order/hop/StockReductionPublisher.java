package io.hoptrace.order.hop;

import io.hoptrace.order.OrderConfig;
import io.hoptrace.order.orders.Order;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes an order's stock-reduction request to {@code stock-reductions} (key = productId, so one
 * product's requests stay in order) under a PRODUCER span. The future completes once Kafka
 * acknowledged the record (acks=all, idempotent producer), or fails within the publish timeout:
 * the caller then knows the request is not in Kafka and refuses the order.
 */
public final class StockReductionPublisher implements AutoCloseable {
  private final String topic;
  private final KafkaTracing tracing;
  private final KafkaProducer<String, String> producer;
  // send() may block on metadata (up to max.block.ms): never on the event loop
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "order-kafka-send");
    t.setDaemon(true);
    return t;
  });

  /** Creates the Kafka producer: construct off the event loop. */
  public StockReductionPublisher(OrderConfig config, KafkaTracing tracing) {
    this.topic = config.requestsTopic();
    this.tracing = tracing;
    long publishMs = config.publishTimeout().toMillis();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "order-requests");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    // a definite answer within the publish timeout: acknowledged, or expired and never written
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) publishMs);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, publishMs / 2 - 10));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, publishMs);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /**
   * @param parent the context of the HTTP SERVER span (the PRODUCER span's parent)
   * @param vertxContext where the returned future completes
   * @param sendBy {@link System#nanoTime()} after which the record must not be handed to Kafka any
   *     more (sends queue behind each other while Kafka is away): it fails unsent instead, so that the
   *     caller's answer stays within its timeout and a refused order is never published later
   */
  public Future<Void> publish(Order order, Context parent, io.vertx.core.Context vertxContext, long sendBy) {
    Promise<Void> done = Promise.promise();
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, order.productId(), order.toRequestJson().encode());
    Span span = tracing.startPublish(parent, record);
    sender.execute(() -> {
      if (System.nanoTime() - sendBy > 0) {
        NotSent e = new NotSent("earlier requests are still waiting for Kafka; this one was not sent");
        tracing.endPublish(span, null, e);
        vertxContext.runOnContext(v -> done.fail(e));
        return;
      }
      try {
        producer.send(record, (metadata, error) -> {
          tracing.endPublish(span, metadata, error);
          vertxContext.runOnContext(v -> {
            if (error == null) {
              done.complete();
            } else {
              done.fail(error);
            }
          });
        });
      } catch (RuntimeException e) {
        tracing.endPublish(span, null, e);
        vertxContext.runOnContext(v -> done.fail(e));
      }
    });
    return done.future();
  }

  /** The record was never handed to Kafka. */
  public static final class NotSent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotSent(String message) {
      super(message, null, false, false);
    }
  }

  /** Blocking: flushes and closes the producer. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
