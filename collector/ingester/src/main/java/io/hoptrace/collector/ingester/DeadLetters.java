package io.hoptrace.collector.ingester;

import io.hoptrace.kafka.Topics;
import io.hoptrace.kafka.replay.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records that can never be ingested to {@code <topic>.dlq}: original key, value and headers,
 * plus the reason and the origin in {@code hoptrace.dlq.*} headers. Blocks until Kafka acknowledged,
 * so a dead letter is durable before the partition moves past it.
 */
public final class DeadLetters implements AutoCloseable {
  public static final String ERROR = DeadLetterHeaders.ERROR;
  public static final String TOPIC = DeadLetterHeaders.TOPIC;
  public static final String PARTITION = DeadLetterHeaders.PARTITION;
  public static final String OFFSET = DeadLetterHeaders.OFFSET;
  /** For rows ClickHouse refused: its error code, the table, and how many of the record's rows it refused. */
  public static final String ERROR_CODE = DeadLetterHeaders.ERROR_CODE;
  public static final String TABLE = DeadLetterHeaders.TABLE;
  public static final String REFUSED_ROWS = DeadLetterHeaders.REFUSED_ROWS;

  /** A record that can never be ingested, why, and more headers that say so ({@code hoptrace.dlq.*}). */
  public record Letter(ConsumerRecord<byte[], ByteBuffer> record, String error, Map<String, String> details) {
    public Letter(ConsumerRecord<byte[], ByteBuffer> record, String error) {
      this(record, error, Map.of());
    }
  }

  private final Producer<byte[], byte[]> producer;

  public DeadLetters(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  public static DeadLetters create(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(p);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "hoptrace-ingester-dlq");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.TELEMETRY_MAX_MESSAGE_BYTES + 64 * 1024);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new DeadLetters(new KafkaProducer<>(p));
  }

  /** Sends all letters and waits for Kafka's acknowledgement; throws if any was not acknowledged. */
  public void send(List<Letter> letters) throws InterruptedException, ExecutionException, TimeoutException {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (Letter l : letters) {
      ConsumerRecord<byte[], ByteBuffer> r = l.record();
      List<Header> headers = new ArrayList<>();
      for (Header h : r.headers()) {
        headers.add(h);
      }
      headers.add(new RecordHeader(ERROR, utf8(l.error())));
      headers.add(new RecordHeader(TOPIC, utf8(r.topic())));
      headers.add(new RecordHeader(PARTITION, utf8(Integer.toString(r.partition()))));
      headers.add(new RecordHeader(OFFSET, utf8(Long.toString(r.offset()))));
      l.details().forEach((k, v) -> headers.add(new RecordHeader(k, utf8(v))));
      acks.add(producer.send(new ProducerRecord<>(Topics.deadLetter(r.topic()), null, r.key(), bytes(r.value()), headers)));
    }
    for (Future<RecordMetadata> f : acks) {
      f.get(Duration.ofSeconds(40).toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The value as it was read (a slice of the fetched records): copied, it is rare here. */
  static byte[] bytes(ByteBuffer value) {
    if (value == null) {
      return null;
    }
    byte[] b = new byte[value.remaining()];
    value.duplicate().get(b);
    return b;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
