package io.hoptrace.kafka.replay;

import io.hoptrace.kafka.TopicSetup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The project's one replay mechanism: re-delivers a time range of a topic to whoever consumes it, by
 * producing copies of its records onto the same topic and partition (same key and value) with
 * {@link ReplayHeaders}. Consumers are idempotent, so a replay changes nothing that was already
 * applied and restores what was lost downstream. Works while the consumers run. Blocking.
 */
public final class TopicReplayer {
  private static final Set<String> CONTEXT_HEADERS = Set.of("traceparent", "tracestate", "baggage");

  /** Called as work advances: what is happening, how much is done of how much. */
  public interface Progress {
    void update(String phase, long done, long total);
  }

  /** Per partition, the offsets [start, end) to replay. */
  public record Plan(ReplayRange range, Map<Integer, long[]> offsets) {
    public long records() {
      return offsets.values().stream().mapToLong(r -> r[1] - r[0]).sum();
    }
  }

  /** What a replay produced: per partition, the offset just after its last copy. */
  public record Result(String replayId, long records, Map<Integer, Long> copiesEnd) {}

  private final String bootstrapServers;

  private final io.hoptrace.kafka.KafkaClientSecurity security;

  /** With this process's TLS / SASL settings ({@code HOPTRACE_KAFKA_*}). */
  public TopicReplayer(String bootstrapServers) {
    this(bootstrapServers, io.hoptrace.kafka.KafkaClientSecurity.process());
  }

  public TopicReplayer(String bootstrapServers, io.hoptrace.kafka.KafkaClientSecurity security) {
    this.security = security;
    this.bootstrapServers = bootstrapServers;
  }

  /** Finds the offsets of the range. The end is fixed now, so the replay never chases its own copies. */
  public Plan plan(ReplayRange range) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<PartitionInfo> infos = consumer.partitionsFor(range.topic(), Duration.ofSeconds(15));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic '" + range.topic() + "' does not exist on " + bootstrapServers);
      }
      List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, Duration.ofSeconds(15));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(15));
      Map<TopicPartition, Long> start = range.from().map(t -> at(consumer, partitions, t, end)).orElse(beginning);
      Map<TopicPartition, Long> stop = range.to().map(t -> at(consumer, partitions, t, end)).orElse(end);
      Map<Integer, long[]> offsets = new TreeMap<>();
      for (TopicPartition tp : partitions) {
        long s = Math.max(start.get(tp), beginning.get(tp));
        long e = stop.get(tp);
        if (e > s) {
          offsets.put(tp.partition(), new long[] {s, e});
        }
      }
      return new Plan(range, offsets);
    }
  }

  /** Produces the copies; returns once Kafka acknowledged all of them. */
  public Result replay(Plan plan, Progress progress) {
    return copy(plan, progress, TopicReplayer::copyOf);
  }

  /**
   * Sends the dead letters of the plan's range (a {@code <topic>.dlq}) back to the topic and partition
   * each came from, as replayed records (header {@code hoptrace.replay.of} = the origin, so the
   * ingester adds only rows not stored yet). The result's offsets are those of the origin topic.
   * A letter without its origin headers, or from another topic than {@code origin}, stops the replay
   * there (what was sent stays sent; replays are idempotent).
   */
  public Result replayDeadLetters(Plan plan, String origin, Progress progress) {
    return copy(plan, progress, (r, replayId) -> DeadLetterCopy.copyOf(r, origin, replayId));
  }

  private interface Copier {
    ProducerRecord<byte[], byte[]> copy(ConsumerRecord<byte[], byte[]> r, String replayId);
  }

  private Result copy(Plan plan, Progress progress, Copier copier) {
    String replayId = UUID.randomUUID().toString();
    String topic = plan.range().topic();
    long total = plan.records();
    Map<Integer, Long> copiesEnd = new HashMap<>();
    if (total == 0) {
      return new Result(replayId, 0, copiesEnd);
    }
    List<TopicPartition> assigned = new ArrayList<>();
    plan.offsets().keySet().forEach(p -> assigned.add(new TopicPartition(topic, p)));
    long done = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(); KafkaProducer<byte[], byte[]> producer = producer()) {
      consumer.assign(assigned);
      for (TopicPartition tp : assigned) {
        consumer.seek(tp, plan.offsets().get(tp.partition())[0]);
      }
      Set<TopicPartition> finished = new HashSet<>();
      Map<Integer, Future<RecordMetadata>> last = new HashMap<>();
      List<Future<RecordMetadata>> inFlight = new ArrayList<>();
      while (finished.size() < assigned.size()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          long end = plan.offsets().get(r.partition())[1];
          if (r.offset() >= end) {
            continue;
          }
          ProducerRecord<byte[], byte[]> copy = copier.copy(r, replayId);
          Future<RecordMetadata> f = producer.send(copy);
          last.put(copy.partition(), f);
          inFlight.add(f);
          done++;
        }
        for (TopicPartition tp : assigned) {
          if (!finished.contains(tp) && consumer.position(tp) >= plan.offsets().get(tp.partition())[1]) {
            finished.add(tp);
            consumer.pause(List.of(tp));
          }
        }
        if (inFlight.size() > 10_000) {
          await(inFlight);
        }
        progress.update("replaying " + topic, done, total);
      }
      producer.flush();
      await(inFlight);
      for (var e : last.entrySet()) {
        copiesEnd.put(e.getKey(), e.getValue().get().offset() + 1);
      }
      return new Result(replayId, done, copiesEnd);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay of " + topic + " interrupted after " + done + " of " + total + " records", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("replay of " + topic + " failed after " + done + " of " + total + " records: "
          + e.getCause() + ". Replays are idempotent: run it again.", e.getCause());
    }
  }

  /**
   * Waits until every consumer group that has committed offsets on the topic has committed past the
   * copies. Returns the groups still behind when the timeout passed (empty = all caught up).
   */
  public List<String> awaitConsumers(Result result, String topic, Duration timeout, Progress progress) {
    if (result.copiesEnd().isEmpty()) {
      return List.of();
    }
    try (Admin admin = TopicSetup.admin(bootstrapServers, security)) {
      List<String> groups = consumersOf(admin, topic);
      if (groups.isEmpty()) {
        return List.of();
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      // every group has all the copies to process: progress is copies processed over copies x groups
      long total = result.records() * groups.size();
      while (true) {
        long lag = 0;
        List<String> behind = new ArrayList<>();
        for (String g : groups) {
          long groupLag = lag(admin, g, topic, result.copiesEnd());
          if (groupLag > 0) {
            behind.add(g);
          }
          lag += Math.min(groupLag, result.records());
        }
        progress.update("waiting for " + String.join(", ", groups), total - lag, total);
        if (behind.isEmpty() || System.nanoTime() > deadline) {
          return behind;
        }
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("(interrupted)");
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not read consumer group offsets of " + topic + ": " + e, e);
    }
  }

  /** Consumer groups with committed offsets on the topic. */
  public static List<String> consumersOf(Admin admin, String topic) throws ExecutionException, InterruptedException, TimeoutException {
    List<String> out = new ArrayList<>();
    for (ConsumerGroupListing g : admin.listConsumerGroups().all().get(15, TimeUnit.SECONDS)) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
      if (offsets.keySet().stream().anyMatch(tp -> tp.topic().equals(topic))) {
        out.add(g.groupId());
      }
    }
    out.sort(null);
    return out;
  }

  private static long lag(Admin admin, String group, String topic, Map<Integer, Long> copiesEnd)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
    long lag = 0;
    for (var e : copiesEnd.entrySet()) {
      OffsetAndMetadata c = committed.get(new TopicPartition(topic, e.getKey()));
      long at = c == null ? 0 : c.offset();
      lag += Math.max(0, e.getValue() - at);
    }
    return lag;
  }

  static ProducerRecord<byte[], byte[]> copyOf(ConsumerRecord<byte[], byte[]> r, String replayId) {
    return new ProducerRecord<>(r.topic(), r.partition(), null, r.key(), r.value(),
        replayHeaders(r, r.topic() + "/" + r.partition() + "/" + r.offset(), replayId, ""));
  }

  /**
   * The copy's headers: the original's, except its trace context, an earlier replay id and those
   * starting with {@code dropPrefix} (unless empty); plus {@code hoptrace.replay.of} = {@code of}
   * (kept from the original when it was a replay already) and the original context under replay names.
   */
  static RecordHeaders replayHeaders(ConsumerRecord<byte[], byte[]> r, String of, String replayId, String dropPrefix) {
    RecordHeaders headers = new RecordHeaders();
    boolean alreadyReplay = ReplayHeaders.isReplay(r.headers());
    for (Header h : r.headers()) {
      String k = h.key();
      if (CONTEXT_HEADERS.contains(k) || k.equals(ReplayHeaders.ID) || (!dropPrefix.isEmpty() && k.startsWith(dropPrefix))) {
        continue; // a copy never carries the original's context as its own: processing it starts a new trace
      }
      headers.add(k, h.value() == null ? new byte[0] : h.value());
    }
    if (!alreadyReplay) {
      headers.add(ReplayHeaders.OF, of.getBytes(StandardCharsets.UTF_8));
      Header tp = r.headers().lastHeader("traceparent");
      if (tp != null && tp.value() != null) {
        headers.add(ReplayHeaders.TRACEPARENT, tp.value());
      }
      Header ts = r.headers().lastHeader("tracestate");
      if (ts != null && ts.value() != null) {
        headers.add(ReplayHeaders.TRACESTATE, ts.value());
      }
    }
    headers.add(ReplayHeaders.ID, replayId.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  private static Map<TopicPartition, Long> at(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant t,
      Map<TopicPartition, Long> end) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, t.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(15));
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndTimestamp o = found.get(tp);
      out.put(tp, o == null ? end.get(tp) : o.offset());
    }
    return out;
  }

  private static void await(List<Future<RecordMetadata>> futures) throws ExecutionException, InterruptedException {
    for (Future<RecordMetadata> f : futures) {
      f.get();
    }
    futures.clear();
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    security.applyTo(p);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "hoptrace-replay");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    security.applyTo(p);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    // copies are a little larger than their originals (replay headers): compress for headroom
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "hoptrace-replay");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

}
