package io.hoptrace.order.hop;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.kafka.client.common.KafkaClientOptions;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one topic from where its {@link Start} says (by default the beginning), without a consumer group and only committed
 * records ({@code read_committed}), and goes on reading: how the order service rebuilds its memory from
 * Kafka and keeps it current (every instance sees every record).
 *
 * <p>On vertx-kafka-client, polling explicitly: each poll and each position query runs on the client's
 * own thread, and the records of a poll are handled on the Vert.x context that started the reader (an
 * event loop: handlers must not block), all of them before the positions are asked and before the next
 * poll starts. So after every poll, with records or without (a {@code read_committed} reader also moves
 * past aborted records and transaction markers), {@code afterPoll} sees positions beyond which no
 * record is still on its way to the handler: what {@link PublishSettlement} relies on. The client's
 * tracing is off: the process spans are our own ({@code KafkaTracing}).
 *
 * <p>Each record is handed over with {@code live = false} while it was already in the topic when the
 * reader started (a rebuild: do not trace it again), {@code live = true} after. Kafka outages are
 * retried every second; the reader resumes where it was.
 */
final class TopicReader {
  private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final long RETRY_MS = 1_000;

  /** Handles one record on the reader's context; an exception skips the record (a bad record must not stop the partition). */
  @FunctionalInterface
  interface RecordHandler {
    void handle(ConsumerRecord<String, String> record, boolean live);
  }

  /**
   * Where reading starts on each partition: the first record written at or after {@code since}
   * (null: the beginning), and no earlier than {@code lastRecords} offsets before the end (on a
   * transactional topic, commit markers and aborted records take offsets too).
   */
  record Start(java.time.Instant since, long lastRecords) {
    static final Start BEGINNING = new Start(null, Long.MAX_VALUE);

    boolean fromBeginning() {
      return since == null && lastRecords == Long.MAX_VALUE;
    }
  }

  /** Called on the reader's context after each poll, once its records were handled. */
  @FunctionalInterface
  interface AfterPoll {
    /** @param positions the next offset to read, per partition */
    void polled(TopicReader reader, Map<TopicPartition, Long> positions);
  }

  private final Vertx vertx;
  private final String bootstrapServers;
  private final String name;
  private final String topic;
  private final RecordHandler handler;
  private final AfterPoll afterPoll;
  private final Start from;
  // read and written on the reader's context only
  private final Map<TopicPartition, Long> startEnd = new HashMap<>();
  private List<TopicPartition> partitions = List.of();
  private KafkaReadStream<String, String> stream;
  private volatile boolean stopping;
  private boolean positionsOnlyUntilCaughtUp;
  private volatile boolean isCaughtUp;
  private volatile String lastError;

  /** @param name the consumer's client id (in logs and the broker's view) */
  TopicReader(Vertx vertx, String bootstrapServers, String name, String topic, RecordHandler handler,
      AfterPoll afterPoll) {
    this(vertx, bootstrapServers, name, topic, handler, afterPoll, Start.BEGINNING);
  }

  TopicReader(Vertx vertx, String bootstrapServers, String name, String topic, RecordHandler handler,
      AfterPoll afterPoll, Start from) {
    this.from = Objects.requireNonNull(from);
    this.vertx = vertx;
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers);
    this.name = Objects.requireNonNull(name);
    this.topic = Objects.requireNonNull(topic);
    this.handler = Objects.requireNonNull(handler);
    this.afterPoll = Objects.requireNonNull(afterPoll);
  }

  /**
   * For a reader whose {@code afterPoll} does not use positions: once caught up, the next poll starts
   * right after the records were handled, without first asking the client's thread for the positions
   * (a round trip per partition); {@code afterPoll} then gets an empty map. Call it before {@link #start}.
   */
  TopicReader positionsOnlyUntilCaughtUp() {
    this.positionsOnlyUntilCaughtUp = true;
    return this;
  }

  /** Starts reading in the background; call it on the context where records are to be handled. */
  void start() {
    // the consumer resolves the bootstrap addresses when created: off the event loop
    vertx.executeBlocking(() -> new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new StringDeserializer()))
        .onSuccess(consumer -> {
          if (stopping) {
            vertx.executeBlocking(() -> {
              consumer.close();
              return null;
            });
            return;
          }
          stream = KafkaReadStream.create(vertx, consumer, new KafkaClientOptions().setTracingPolicy(TracingPolicy.IGNORE));
          assign();
        })
        .onFailure(e -> retry(e, this::start));
  }

  /** True once everything that was in the topic at start has been handed over. */
  boolean isCaughtUp() {
    return isCaughtUp;
  }

  /** The last Kafka error seen, or null once a poll went through. */
  String lastError() {
    return lastError;
  }

  /**
   * Records between the position and the end of each partition, as of the last fetch: the consumer's
   * own {@code records-lag} metric (metrics may be read from any thread, unlike the consumer).
   */
  Map<TopicPartition, Long> lag() {
    KafkaReadStream<String, String> s = stream;
    Map<TopicPartition, Long> lag = new HashMap<>();
    if (s == null) {
      return lag;
    }
    String metricTopic = topic.replace('.', '_'); // how the consumer spells a topic in its metric tags
    s.unwrap().metrics().forEach((metricName, metric) -> {
      Map<String, String> tags = metricName.tags();
      if ("records-lag".equals(metricName.name()) && "consumer-fetch-manager-metrics".equals(metricName.group())
          && metricTopic.equals(tags.get("topic")) && tags.containsKey("partition")
          && metric.metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
        lag.put(new TopicPartition(topic, Integer.parseInt(tags.get("partition"))), n.longValue());
      }
    });
    return lag;
  }

  /** Stops reading and closes the consumer; call it on the reader's context. */
  Future<Void> close() {
    stopping = true;
    return stream == null ? Future.succeededFuture() : stream.close();
  }

  private void assign() {
    if (stopping) {
      return;
    }
    stream.partitionsFor(topic)
        .compose(infos -> {
          if (infos == null || infos.isEmpty()) {
            return Future.failedFuture(new KafkaException("topic " + topic + " does not exist (yet)"));
          }
          partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
          return stream.assign(Set.copyOf(partitions));
        })
        .compose(v -> startEnd.isEmpty()
            ? stream.endOffsets(Set.copyOf(partitions)).map(ends -> {
              startEnd.putAll(ends);
              return (Void) null;
            })
            : Future.<Void>succeededFuture())
        .compose(v -> seekToStart())
        .onSuccess(v -> poll())
        .onFailure(e -> retry(e, this::assign));
  }

  private Future<Void> seekToStart() {
    if (from.fromBeginning()) {
      return stream.seekToBeginning(Set.copyOf(partitions));
    }
    Map<TopicPartition, Long> at = new HashMap<>();
    partitions.forEach(tp -> at.put(tp, from.since() == null ? 0L : from.since().toEpochMilli()));
    return stream.offsetsForTimes(at).compose(found -> {
      List<Future<Void>> seeks = new java.util.ArrayList<>();
      for (TopicPartition tp : partitions) {
        long end = startEnd.getOrDefault(tp, 0L);
        var byTime = found == null ? null : found.get(tp);
        // no record at or after the time: nothing to read before the end
        long offset = from.since() == null ? 0L : byTime == null ? end : byTime.offset();
        if (from.lastRecords() < end) {
          offset = Math.max(offset, end - from.lastRecords());
        }
        seeks.add(stream.seek(tp, offset));
      }
      LOG.info("{}: reading {} since {}{}", name, topic, from.since(),
          from.lastRecords() == Long.MAX_VALUE ? "" : ", at most the last " + from.lastRecords() + " offsets of each partition");
      return Future.all(seeks).mapEmpty();
    });
  }

  private void poll() {
    if (stopping) {
      return;
    }
    stream.poll(POLL_TIMEOUT)
        .compose(records -> {
          if (stopping) {
            return Future.succeededFuture();
          }
          hand(records);
          if (isCaughtUp && positionsOnlyUntilCaughtUp) {
            // a result handed over: poll again at once, so the next one reaches its waiting request sooner
            lastError = null;
            afterPoll.polled(this, Map.of());
            return Future.succeededFuture();
          }
          return positions().onSuccess(this::polled);
        })
        .onSuccess(v -> poll())
        .onFailure(e -> retry(e, this::poll));
  }

  private void hand(ConsumerRecords<String, String> records) {
    for (ConsumerRecord<String, String> r : records) {
      boolean live = r.offset() >= startEnd.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L);
      try {
        handler.handle(r, live);
      } catch (RuntimeException e) {
        LOG.warn("{}: skipped record {}-{}@{} that could not be handled: {}", name, r.topic(), r.partition(), r.offset(), e.toString());
      }
    }
  }

  /** The next offset of every partition, asked on the client's thread after the poll's records were handled. */
  private Future<Map<TopicPartition, Long>> positions() {
    List<TopicPartition> tps = partitions;
    List<Future<Long>> asked = tps.stream().map(stream::position).toList();
    return Future.all(asked).map(all -> {
      Map<TopicPartition, Long> at = new HashMap<>();
      for (int i = 0; i < tps.size(); i++) {
        at.put(tps.get(i), asked.get(i).result());
      }
      return at;
    });
  }

  private void polled(Map<TopicPartition, Long> positions) {
    lastError = null;
    if (!isCaughtUp && startEnd.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
      isCaughtUp = true;
    }
    afterPoll.polled(this, positions);
  }

  private void retry(Throwable e, Runnable step) {
    if (stopping) {
      return;
    }
    lastError = e.toString();
    LOG.warn("{}: reading {} failed ({}); retrying in 1 s", name, topic, e.toString());
    vertx.setTimer(RETRY_MS, id -> step.run());
  }

  private Properties consumerConfig() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(p);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    return p;
  }
}
