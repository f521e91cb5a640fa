package io.hoptrace.collector.ingester;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partitions whose ingestion is stalled on a systemic error (a missing table, a missing column,
 * no permission): what health, the stalled gauge and the logs report. Written by
 * {@link StallReportingBatchSink}, read by anyone.
 */
public final class Stalls {
  /** Partition {@code topic/partition} stalls on {@code table} since {@code since} with {@code error}. */
  public record Stall(String partition, String topic, String table, InsertError error, Instant since) {}

  private final Map<String, Stall> byPartition = new ConcurrentHashMap<>();

  /** Returns true when the partition was not stalled before (or on another table or error code). */
  boolean stalled(Batch batch, String table, InsertError error) {
    String key = batch.topic() + "/" + batch.partition();
    Stall before = byPartition.get(key);
    Instant since = before == null ? Instant.now() : before.since();
    byPartition.put(key, new Stall(key, batch.topic(), table, error, since));
    return before == null || !before.table().equals(table) || before.error().code() != error.code();
  }

  /** Returns the stall that ended, or null. */
  Stall resumed(Batch batch) {
    return byPartition.remove(batch.topic() + "/" + batch.partition());
  }

  public List<Stall> current() {
    return byPartition.values().stream().sorted(java.util.Comparator.comparing(Stall::partition)).toList();
  }

  /** Whether a partition of {@code topic} is stalled. */
  public boolean stalled(String topic) {
    return byPartition.values().stream().anyMatch(s -> s.topic().equals(topic));
  }
}
