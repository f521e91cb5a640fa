package io.hoptrace.collector.receiver;

import io.hoptrace.collector.buffer.BufferHeaders;
import io.hoptrace.collector.otlp.OtlpSplitter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.kafka.client.common.KafkaClientOptions;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes record parts to a telemetry topic with an idempotent, {@code acks=all} producer
 * (vertx-kafka-client), and completes on the caller's Vert.x context once Kafka acknowledged every
 * part. The client runs {@code send} (which may block on metadata or a full buffer) on a worker,
 * never on an event loop. Its tracing is off: the receiver traces nothing per record.
 */
public final class KafkaPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

  private final KafkaWriteStream<byte[], byte[]> producer;

  private KafkaPublisher(KafkaWriteStream<byte[], byte[]> producer) {
    this.producer = producer;
    // each failure fails its request's future (publish); without a handler the client would also log
    // every failed record as an unhandled exception
    producer.exceptionHandler(e -> log.debug("a record was not acknowledged: {}", e.toString()));
  }

  /** Creates the producer (it resolves the bootstrap addresses: call it off the event loop). */
  public static KafkaPublisher create(Vertx vertx, ReceiverConfig config) {
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
    KafkaClientOptions options = new KafkaClientOptions().setConfig(p).setTracingPolicy(TracingPolicy.IGNORE);
    return new KafkaPublisher(KafkaWriteStream.create(vertx, options, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  /** Fetches topic metadata now, so that the first request does not wait for it (best effort). */
  public void warmUp(List<String> topics) {
    for (String t : topics) {
      producer.partitionsFor(t).onFailure(e -> log.warn("Kafka metadata for topic {} not available yet: {}", t, e.toString()));
    }
  }

  /** Completes (on the caller's context) when Kafka acknowledged all parts; fails with the first error. */
  public Future<Void> publish(String topic, List<OtlpSplitter.Part> parts) {
    List<Future<RecordMetadata>> acks = parts.stream().map(part -> producer.send(new ProducerRecord<>(topic, null, part.key(), part.value(),
        List.of(new RecordHeader(BufferHeaders.ITEMS, Integer.toString(part.items()).getBytes(StandardCharsets.US_ASCII)))))).toList();
    // an export without items (OTLP allows it) has no parts: nothing to wait for
    return Future.all(acks).mapEmpty();
  }

  /** Blocking: sends what is buffered (up to 10 s), then closes. Not on an event loop. */
  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(10).toMillis()).toCompletionStage().toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("closing the Kafka producer: {}", e.toString());
    }
  }
}
