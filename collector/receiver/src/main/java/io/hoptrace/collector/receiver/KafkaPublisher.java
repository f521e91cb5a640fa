package io.hoptrace.collector.receiver;

import io.hoptrace.collector.buffer.BufferHeaders;
import io.hoptrace.collector.otlp.OtlpSplitter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes record parts to a telemetry topic with an idempotent, {@code acks=all} producer
 * (kafka-clients), and completes once Kafka acknowledged every part. {@link #publish} is called on
 * the worker thread that just validated and split the request ({@code send} may block on metadata or
 * a full buffer): all of a request's records are handed to the producer in that one task, and one
 * future per request completes from the producer's acknowledgements (docs/adr/017). Nothing here
 * traces: the receiver traces nothing per record.
 */
public final class KafkaPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Producer<byte[], byte[]> producer;

  KafkaPublisher(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  /** Creates the producer (it resolves the bootstrap addresses: call it off the event loop). */
  public static KafkaPublisher create(ReceiverConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(p);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "hoptrace-receiver");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
    p.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.linger().toMillis());
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.maxRecordBytes() + 64 * 1024);
    // the in-flight bound already limits what waits in the buffer
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.maxInFlightBytes() + (16L << 20));
    int timeout = (int) Math.max(2_000, config.deliveryTimeout().toMillis());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeout / 2));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1_000, timeout / 2));
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    return new KafkaPublisher(new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  /** Fetches topic metadata now, so that the first request does not wait for it (best effort; blocking: not on an event loop). */
  public void warmUp(List<String> topics) {
    for (String t : topics) {
      try {
        producer.partitionsFor(t);
      } catch (RuntimeException e) {
        log.warn("Kafka metadata for topic {} not available yet: {}", t, e.toString());
      }
    }
  }

  /**
   * Hands every part to the producer and returns a future that completes when Kafka acknowledged all
   * of them, or fails with the first error. May block (metadata, a full buffer): call it on a worker.
   */
  public CompletableFuture<Void> publish(String topic, List<OtlpSplitter.Part> parts) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    if (parts.isEmpty()) { // an export without items (OTLP allows it): nothing to wait for
      acked.complete(null);
      return acked;
    }
    AtomicInteger left = new AtomicInteger(parts.size());
    Callback each = (metadata, e) -> {
      if (e != null) {
        acked.completeExceptionally(e);
      } else if (left.decrementAndGet() == 0) {
        acked.complete(null);
      }
    };
    try {
      for (OtlpSplitter.Part part : parts) {
        List<Header> headers = List.of(new RecordHeader(BufferHeaders.ITEMS, Integer.toString(part.items()).getBytes(StandardCharsets.US_ASCII)));
        producer.send(new ProducerRecord<>(topic, null, part.key(), part.value(), headers), each);
      }
    } catch (RuntimeException e) { // closed, or not sendable at all: the request is not acknowledged
      acked.completeExceptionally(e);
    }
    return acked;
  }

  /** Blocking: sends what is buffered (up to 10 s), then closes. Not on an event loop. */
  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      log.warn("closing the Kafka producer: {}", e.toString());
    }
  }
}
