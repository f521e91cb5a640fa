package io.hoptrace.collector.ingester;

import io.hoptrace.collector.otlp.Signal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop of one signal: one thread owns the {@link KafkaConsumer}. Per partition it forms
 * contiguous batches, commits each batch's range as an intent before writing it, hands it to the
 * {@link BatchSink} (which writes on other threads), and commits the offset after the batch only when
 * the sink confirmed. A partition whose batch is still being written (or retried) keeps fetching until
 * one full batch (rows or bytes) waits behind it, then is paused until that one starts; other
 * partitions are not affected. A partition is fetched only once its committed offset (and the batch
 * recorded with it) is known: until then it stays paused, and reading it is tried again every round.
 */
public final class SignalIngester implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignalIngester.class);

  private record Done(Batch batch, Throwable error) {}

  private final Signal signal;
  private final String topic;
  private final IngesterConfig config;
  private final Consumer<byte[], ByteBuffer> consumer;
  private final BatchSink sink;
  private final BatchLimits limits;
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  /** Assigned, but the committed offset not read yet (it failed): paused, nothing of them is fetched. */
  private final Set<TopicPartition> unread = new HashSet<>();
  private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
  private final AtomicLong lag = new AtomicLong();
  private final AtomicLong lastPollMillis = new AtomicLong(System.currentTimeMillis());
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile String lastError = "";
  private Thread thread;

  public SignalIngester(Signal signal, IngesterConfig config, BatchSink sink) {
    this(signal, config, sink, new KafkaConsumer<>(consumerProperties(config, signal)));
  }

  SignalIngester(Signal signal, IngesterConfig config, BatchSink sink, Consumer<byte[], ByteBuffer> consumer) {
    this.signal = signal;
    this.topic = config.topic(signal);
    this.config = config;
    this.sink = sink;
    this.consumer = consumer;
    this.limits = BatchLimits.of(config);
  }

  static Properties consumerProperties(IngesterConfig config, Signal signal) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(p);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.group(signal));
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.group(signal) + "-" + ProcessHandle.current().pid());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 5 << 20); // above the largest record (4 MiB)
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 << 20); // three consumers share one heap
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, config.sessionTimeout().toMillis() / 4));
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    // the value as a slice of the record the client already holds, not a copy of it: the copy was a fifth
    // of the collector's allocations (docs/adr/017)
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class);
    return p;
  }

  public void start() {
    thread = new Thread(this::run, "ingester-" + signal.label());
    thread.start();
  }

  public Signal signal() {
    return signal;
  }

  /** Records not yet consumed on the assigned partitions (as of the last fetch). */
  public long lag() {
    return lag.get();
  }

  /** The last error of the consumer loop, empty when it is fine. */
  public String lastError() {
    return lastError;
  }

  public boolean alive() {
    return thread != null && thread.isAlive();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new Rebalance());
      while (running) {
        try {
          loopOnce();
          if (unread.isEmpty()) {
            lastError = ""; // else the failure to read their committed offsets stays the reported error
          }
        } catch (WakeupException e) {
          // close() woke us up
        } catch (KafkaException e) {
          lastError = e.toString();
          log.warn("{} ingester: Kafka error {}; continuing", signal.label(), e.toString());
          sleepQuietly(1000);
        }
      }
      drain();
    } catch (RuntimeException e) {
      lastError = e.toString();
      log.error("{} ingester stopped on an unexpected error", signal.label(), e);
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing the {} consumer: {}", signal.label(), e.toString());
      }
      stopped.countDown();
    }
  }

  private void loopOnce() {
    readCommitted();
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    applyCompletions(commits);
    ConsumerRecords<byte[], ByteBuffer> records = consumer.poll(Duration.ofMillis(100));
    lastPollMillis.set(System.currentTimeMillis());
    long now = System.nanoTime();
    for (TopicPartition tp : records.partitions()) {
      PartitionState st = partitions.get(tp);
      if (st != null) {
        st.append(records.records(tp), now);
      } else {
        // cannot happen (a partition is paused until its state exists); never skip records silently
        log.error("{}: {} records fetched before its committed offset was read; reading it again", tp, records.records(tp).size());
        consumer.pause(List.of(tp));
        unread.add(tp);
      }
    }
    List<Batch> due = new ArrayList<>();
    for (PartitionState st : partitions.values()) {
      Batch b = st.nextBatch(now, limits);
      if (b != null) {
        due.add(b);
        // the range is recorded before the batch is written: a crash re-forms exactly this batch
        commits.put(st.tp(), new OffsetAndMetadata(b.firstOffset(), new BatchIntent(b.firstOffset(), b.lastOffset()).metadata()));
      }
    }
    if (!commits.isEmpty()) {
      try {
        consumer.commitSync(commits, Duration.ofSeconds(10));
      } catch (KafkaException e) {
        // nothing starts; the completed offsets are committed again with the next intent or below
        lastError = "offset commit failed: " + e;
        log.warn("{} ingester: committing offsets {} failed ({}); retrying", signal.label(), commits.keySet(), e.toString());
        for (Map.Entry<TopicPartition, OffsetAndMetadata> c : commits.entrySet()) {
          PartitionState st = partitions.get(c.getKey());
          if (st != null && c.getValue().metadata().isEmpty()) {
            st.uncommitted(c.getValue());
          }
        }
        return;
      }
    }
    for (Batch b : due) {
      PartitionState st = partitions.get(new TopicPartition(b.topic(), b.partition()));
      st.start(b, now);
      sink.write(b).whenComplete((r, e) -> done.add(new Done(b, e)));
    }
    flowControl();
    updateLag();
  }

  /**
   * Reads the committed offsets of the partitions assigned without one, and with each the batch recorded
   * before the last owner stopped; fetching starts there. A failure (the coordinator slow or moving)
   * leaves them paused for the next round: a partition without its state must not be fetched, its
   * records would have nowhere to go and the recorded batch would be cut differently.
   */
  private void readCommitted() {
    if (unread.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed = consumer.committed(new HashSet<>(unread), Duration.ofSeconds(15));
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      lastError = "reading the committed offsets of " + unread + " failed: " + e;
      log.warn("{} ingester: reading the committed offsets of {} failed ({}); they stay paused and it is tried again",
          signal.label(), unread, e.toString());
      return;
    }
    for (TopicPartition tp : unread) {
      OffsetAndMetadata c = committed.get(tp);
      BatchIntent intent = c == null ? null : BatchIntent.parse(c.offset(), c.metadata()).orElse(null);
      if (intent != null) {
        log.info("{}: re-forming the batch recorded before the last owner stopped: offsets {}-{}", tp, intent.first(), intent.last());
      }
      if (c != null) {
        consumer.seek(tp, c); // from exactly the offset whose recorded batch was just read
      }
      partitions.put(tp, new PartitionState(tp, intent));
    }
    consumer.resume(unread);
    unread.clear();
  }

  /** Completed batches: commit the offset after them (unless an intent commit for the partition covers it). */
  private void applyCompletions(Map<TopicPartition, OffsetAndMetadata> commits) {
    for (PartitionState st : partitions.values()) {
      OffsetAndMetadata retry = st.takeUncommitted();
      if (retry != null) {
        commits.put(st.tp(), retry);
      }
    }
    Done d;
    while ((d = done.poll()) != null) {
      TopicPartition tp = new TopicPartition(d.batch().topic(), d.batch().partition());
      PartitionState st = partitions.get(tp);
      if (st == null || !st.finish(d.batch())) {
        continue; // revoked meanwhile: the new owner re-forms the batch from its intent
      }
      if (d.error() == null) {
        commits.put(tp, new OffsetAndMetadata(d.batch().lastOffset() + 1, ""));
      }
    }
  }

  private void flowControl() {
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (PartitionState st : partitions.values()) {
      boolean hold = st.shouldPause(limits);
      if (hold && !st.paused()) {
        pause.add(st.tp());
        st.paused(true);
      } else if (!hold && st.paused()) {
        resume.add(st.tp());
        st.paused(false);
      }
    }
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
  }

  private void updateLag() {
    long total = 0;
    for (TopicPartition tp : partitions.keySet()) {
      OptionalLong l = consumer.currentLag(tp);
      if (l.isPresent()) {
        total += l.getAsLong();
      }
    }
    lag.set(total);
  }

  /** On stop: let batches in flight finish (bounded), commit them, cancel the rest. */
  private void drain() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline && partitions.values().stream().anyMatch(s -> s.inFlight() != null)) {
      Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
      applyCompletions(commits);
      commitQuietly(commits);
      sleepQuietly(50);
    }
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    applyCompletions(commits);
    commitQuietly(commits);
    for (PartitionState st : partitions.values()) {
      st.revoke();
    }
  }

  private void commitQuietly(Map<TopicPartition, OffsetAndMetadata> commits) {
    if (commits.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(commits, Duration.ofSeconds(5));
    } catch (KafkaException e) {
      log.warn("{} ingester: final commit failed ({}); the batches are re-formed and deduplicated at the next start", signal.label(), e.toString());
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
      applyCompletions(commits);
      commits.keySet().retainAll(new HashSet<>(revoked));
      commitQuietly(commits);
      unread.removeAll(revoked);
      for (TopicPartition tp : revoked) {
        PartitionState st = partitions.remove(tp);
        if (st != null) {
          st.revoke();
        }
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      unread.removeAll(lost);
      for (TopicPartition tp : lost) {
        PartitionState st = partitions.remove(tp);
        if (st != null) {
          st.revoke();
        }
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (assigned.isEmpty()) {
        return;
      }
      log.info("{} ingester assigned {}", signal.label(), assigned);
      consumer.pause(assigned); // until the committed offsets are read, here or in the next rounds
      unread.addAll(assigned);
      readCommitted();
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread == null) {
      consumer.close(Duration.ofSeconds(5)); // never started
      return;
    }
    consumer.wakeup();
    try {
      if (!stopped.await(30, TimeUnit.SECONDS)) {
        log.warn("{} ingester did not stop within 30 s", signal.label());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
