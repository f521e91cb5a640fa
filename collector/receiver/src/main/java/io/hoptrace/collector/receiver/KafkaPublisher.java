package io.hoptrace.collector.receiver;

import io.hoptrace.collector.buffer.BufferHeaders;
import io.hoptrace.collector.otlp.OtlpSplitter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes record parts to a telemetry topic with an idempotent, {@code acks=all} producer, and
 * completes once Kafka acknowledged every part. {@code send} may block (metadata, buffer), so it runs
 * on a thread of its own, never on an event loop.
 */
public final class KafkaPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

  /** Header with the number of items in a record: lets the ingester size batches without decoding. */

  private final Producer<byte[], byte[]> producer;
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kafka-publisher");
    t.setDaemon(true);
    return t;
  });

  public KafkaPublisher(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  public static KafkaPublisher create(String bootstrapServers, Duration deliveryTimeout, int maxRecordBytes, long bufferBytes) {
    return create(bootstrapServers, deliveryTimeout, maxRecordBytes, bufferBytes, "lz4", Duration.ofMillis(5));
  }

  public static KafkaPublisher create(String bootstrapServers, Duration deliveryTimeout, int maxRecordBytes, long bufferBytes, String compression,
      Duration linger) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "hoptrace-receiver");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    p.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes + 64 * 1024);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferBytes);
    int timeout = (int) Math.max(2_000, deliveryTimeout.toMillis());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeout / 2));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1_000, timeout / 2));
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaPublisher(new KafkaProducer<>(p));
  }

  /** Fetches topic metadata now, so that the first request does not wait for it (best effort). */
  public void warmUp(List<String> topics) {
    sender.execute(() -> {
      for (String t : topics) {
        try {
          producer.partitionsFor(t);
        } catch (RuntimeException e) {
          log.warn("Kafka metadata for topic {} not available yet: {}", t, e.toString());
        }
      }
    });
  }

  /** Completes when Kafka acknowledged all parts; fails with the first error. */
  public CompletableFuture<Void> publish(String topic, List<OtlpSplitter.Part> parts) {
    if (parts.isEmpty()) {
      // an export without items (OTLP allows it): nothing to wait for; without this the answer never came
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger pending = new AtomicInteger(parts.size());
    sender.execute(() -> {
      for (OtlpSplitter.Part part : parts) {
        if (done.isDone()) {
          return;
        }
        ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, null, part.key(), part.value(),
            List.of(new RecordHeader(BufferHeaders.ITEMS, Integer.toString(part.items()).getBytes(StandardCharsets.US_ASCII))));
        try {
          producer.send(rec, (md, error) -> {
            if (error != null) {
              done.completeExceptionally(error);
            } else if (pending.decrementAndGet() == 0) {
              done.complete(null);
            }
          });
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
          return;
        }
      }
    });
    return done;
  }

  /** The producer's own metrics, for health. */
  public Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> metrics() {
    return producer.metrics();
  }

  @Override
  public void close() {
    sender.shutdown();
    producer.close(Duration.ofSeconds(10));
  }
}
