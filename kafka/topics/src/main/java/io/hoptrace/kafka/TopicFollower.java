package io.hoptrace.kafka;

import io.hoptrace.process.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of some topics from the beginning, on a thread of its own, without a
 * consumer group and only committed records ({@code read_committed}), with plain kafka-clients: how
 * inventory rebuilds its stock before its read-process-write loop starts. (The order service's
 * readers do the same on vertx-kafka-client, on its event loop: {@code order/hop/TopicReader}.)
 *
 * <p>Each record is handed over with {@code live = false} while it was already in the topic when
 * the follower started (a rebuild: do not trace it again), {@code live = true} after. {@link
 * #caughtUp()} completes once the follower has read what was there at the start. Kafka outages
 * are retried; the follower resumes where it was.
 */
public final class TopicFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

  /** Handles one record; exceptions are logged and the record is skipped (a bad record must not stop the partition). */
  @FunctionalInterface
  public interface RecordHandler {
    void handle(ConsumerRecord<String, String> record, boolean live) throws Exception;
  }

  private final Builder config;
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Map<TopicPartition, Long> startEnd = new HashMap<>();
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private volatile boolean stopping;
  private volatile KafkaConsumer<String, String> consumer;
  private volatile String lastError;
  private Thread thread;

  private TopicFollower(Builder b) {
    this.config = b;
  }

  public static Builder builder(String bootstrapServers, String name) {
    return new Builder(bootstrapServers, name);
  }

  /** Completes once everything that was in the topics at start has been handed over. */
  public CompletableFuture<Void> caughtUp() {
    return caughtUp;
  }

  public boolean isCaughtUp() {
    return caughtUp.isDone() && !caughtUp.isCompletedExceptionally();
  }

  /** The last Kafka error seen, or null. */
  public String lastError() {
    return lastError;
  }

  public synchronized TopicFollower start() {
    if (thread != null) {
      throw new IllegalStateException(config.name + " already started");
    }
    thread = new Thread(this::run, "follow-" + config.name);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Blocks until the topics have been read to where they ended at start (for one-off rebuilds). */
  public void awaitCaughtUp(Duration timeout) throws InterruptedException, java.util.concurrent.TimeoutException {
    try {
      caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(config.name + " failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() {
    stopping = true;
    KafkaConsumer<String, String> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null && thread != Thread.currentThread()) {
      try {
        ended.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      while (!stopping) {
        try (KafkaConsumer<String, String> c = newConsumer()) {
          consumer = c;
          assign(c);
          while (!stopping) {
            ConsumerRecords<String, String> records = c.poll(config.pollTimeout);
            for (ConsumerRecord<String, String> r : records) {
              TopicPartition tp = new TopicPartition(r.topic(), r.partition());
              hand(r, r.offset() >= startEnd.getOrDefault(tp, 0L));
            }
            for (TopicPartition tp : c.assignment()) {
              next.put(tp, c.position(tp));
            }
            lastError = null;
            checkCaughtUp();
            if (config.stopWhenCaughtUp && caughtUp.isDone()) {
              return;
            }
          }
        } catch (WakeupException e) {
          // close() asked us to stop
        } catch (KafkaException e) {
          lastError = e.toString();
          LOG.warn("{}: reading {} failed ({}); retrying in 1 s", config.name, config.topics, e.toString());
          Poll.pause(Duration.ofSeconds(1), () -> stopping);
        } finally {
          consumer = null;
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("{}: stopped by an unexpected error", config.name, e);
      caughtUp.completeExceptionally(e);
    } finally {
      ended.countDown();
    }
  }

  private void hand(ConsumerRecord<String, String> r, boolean live) {
    try {
      config.handler.handle(r, live);
    } catch (Exception e) {
      LOG.warn("{}: skipped record {}-{}@{} that could not be handled: {}", config.name, r.topic(), r.partition(), r.offset(), e.toString());
    }
  }

  private void assign(KafkaConsumer<String, String> c) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : config.topics) {
      List<PartitionInfo> infos = c.partitionsFor(topic);
      if (infos == null || infos.isEmpty()) {
        throw new KafkaException("topic " + topic + " does not exist (yet)");
      }
      infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
    }
    c.assign(partitions);
    if (startEnd.isEmpty()) {
      startEnd.putAll(c.endOffsets(partitions));
    }
    for (TopicPartition tp : partitions) {
      Long at = next.get(tp);
      if (at == null) {
        c.seekToBeginning(List.of(tp));
      } else {
        c.seek(tp, at);
      }
    }
    checkCaughtUp();
  }

  private void checkCaughtUp() {
    if (caughtUp.isDone()) {
      return;
    }
    for (Map.Entry<TopicPartition, Long> e : startEnd.entrySet()) {
      if (next.getOrDefault(e.getKey(), 0L) < e.getValue()) {
        return;
      }
    }
    caughtUp.complete(null);
  }

  private KafkaConsumer<String, String> newConsumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(p);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.name);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    p.putAll(config.extra);
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  /** Settings of a follower. */
  public static final class Builder {
    private final String bootstrapServers;
    private final String name;
    private List<String> topics = List.of();
    private RecordHandler handler;
    private Duration pollTimeout = Duration.ofMillis(200);
    private boolean stopWhenCaughtUp;
    private final Map<String, Object> extra = new HashMap<>();

    private Builder(String bootstrapServers, String name) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers);
      this.name = Objects.requireNonNull(name);
    }

    public Builder topics(List<String> topics) {
      this.topics = List.copyOf(topics);
      return this;
    }

    public Builder handler(RecordHandler handler) {
      this.handler = handler;
      return this;
    }

    public Builder pollTimeout(Duration timeout) {
      this.pollTimeout = timeout;
      return this;
    }

    /** Ends the thread once caught up: a one-off rebuild. */
    public Builder stopWhenCaughtUp() {
      this.stopWhenCaughtUp = true;
      return this;
    }

    public Builder consumerProperty(String key, Object value) {
      extra.put(key, value);
      return this;
    }

    public TopicFollower build() {
      Objects.requireNonNull(handler, "handler");
      if (topics.isEmpty()) {
        throw new IllegalArgumentException(name + ": no topics to follow");
      }
      return new TopicFollower(this);
    }
  }
}
