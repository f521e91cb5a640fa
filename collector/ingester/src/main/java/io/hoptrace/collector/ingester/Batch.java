package io.hoptrace.collector.ingester;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A contiguous offset range of one partition, ingested as a unit. Its boundaries are recorded in
 * Kafka before it is written ({@link BatchIntent}), so after a crash the same range is formed again
 * and its inserts carry the same deduplication tokens. The values are the consumer's slices of the
 * fetched records (docs/adr/017): read them in place, never write into them.
 */
public final class Batch {
  private final String topic;
  private final int partition;
  private final List<ConsumerRecord<byte[], ByteBuffer>> records;
  private volatile boolean cancelled;
  /** Filled by the sink on the first attempt and kept across retries (conversion and DLQ happen once). */
  private volatile Object prepared;

  public Batch(String topic, int partition, List<ConsumerRecord<byte[], ByteBuffer>> records) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    this.topic = topic;
    this.partition = partition;
    this.records = List.copyOf(records);
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public long firstOffset() {
    return records.get(0).offset();
  }

  public long lastOffset() {
    return records.get(records.size() - 1).offset();
  }

  public List<ConsumerRecord<byte[], ByteBuffer>> records() {
    return records;
  }

  /** The partition was revoked or the ingester stops: stop retrying (the range is re-formed by whoever owns it next). */
  public void cancel() {
    cancelled = true;
  }

  public boolean cancelled() {
    return cancelled;
  }

  public Object prepared() {
    return prepared;
  }

  public void prepared(Object p) {
    prepared = p;
  }

  /** {@code topic/partition/first-last}: the stem of the batch's deduplication tokens. */
  public String id() {
    return topic + "/" + partition + "/" + firstOffset() + "-" + lastOffset();
  }

  @Override
  public String toString() {
    return "batch " + id() + " (" + records.size() + " records)";
  }
}
