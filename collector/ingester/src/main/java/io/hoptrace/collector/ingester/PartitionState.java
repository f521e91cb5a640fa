package io.hoptrace.collector.ingester;

import io.hoptrace.collector.buffer.BufferHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * One assigned partition: records fetched but not yet in a batch, and at most one batch being
 * written. Batches are contiguous and written one after another, so the committed offset is always
 * the end of the last written batch (the highest contiguous processed offset). Owned by the consumer
 * thread; not thread safe.
 */
final class PartitionState {
  private final TopicPartition tp;
  /** A fetched record, the rows it will give (read from its header once, not at every look) and its value's size. */
  private record Pending(ConsumerRecord<byte[], ByteBuffer> record, long rows, int bytes) {}

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private long pendingRows;
  private long pendingBytes;
  private long oldestPendingNanos;
  private BatchIntent forced;
  private Batch inFlight;
  private boolean paused;
  private org.apache.kafka.clients.consumer.OffsetAndMetadata uncommitted;

  PartitionState(TopicPartition tp, BatchIntent forced) {
    this.tp = tp;
    this.forced = forced;
  }

  TopicPartition tp() {
    return tp;
  }

  void append(List<ConsumerRecord<byte[], ByteBuffer>> records, long nowNanos) {
    if (pending.isEmpty() && !records.isEmpty()) {
      oldestPendingNanos = nowNanos;
    }
    for (ConsumerRecord<byte[], ByteBuffer> r : records) {
      long n = rows(r);
      int size = r.value() == null ? 0 : r.value().remaining();
      pending.addLast(new Pending(r, n, size));
      pendingRows += n;
      pendingBytes += size;
    }
  }

  /** Rows a record will give, from the receiver's item-count header; estimated from its size otherwise. */
  static long rows(ConsumerRecord<byte[], ByteBuffer> r) {
    Header h = r.headers().lastHeader(BufferHeaders.ITEMS);
    if (h != null && h.value() != null) {
      try {
        return Math.max(1, Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII)));
      } catch (NumberFormatException e) {
        // fall through to the estimate
      }
    }
    return 1 + (r.value() == null ? 0 : r.value().remaining() / 300);
  }

  /**
   * The next batch if one is due (and none is being written): the range recorded before a crash or
   * rebalance if there is one (whatever the limits are now), else when a full batch of rows or bytes is
   * pending or the oldest waited the delay; a batch takes records in order up to either limit, at least
   * one. The records stay pending until {@link #start} (the intent must be committed first).
   */
  Batch nextBatch(long nowNanos, BatchLimits limits) {
    if (inFlight != null || pending.isEmpty()) {
      return null;
    }
    List<ConsumerRecord<byte[], ByteBuffer>> take = new ArrayList<>();
    if (forced != null) {
      if (pending.peekFirst().record().offset() > forced.last()) {
        forced = null; // the recorded range is gone (retention): form batches normally
      } else {
        if (pending.peekLast().record().offset() < forced.last()) {
          return null; // not all of the recorded range fetched yet
        }
        for (Pending p : pending) {
          if (p.record().offset() > forced.last()) {
            break;
          }
          take.add(p.record());
        }
        return new Batch(tp.topic(), tp.partition(), take);
      }
    }
    boolean full = limits.full(pendingRows, pendingBytes);
    boolean old = nowNanos - oldestPendingNanos >= limits.delayNanos();
    if (!full && !old) {
      return null;
    }
    long rows = 0;
    long bytes = 0;
    for (Pending p : pending) {
      if (!take.isEmpty() && (rows + p.rows() > limits.rows() || bytes + p.bytes() > limits.bytes())) {
        break;
      }
      take.add(p.record());
      rows += p.rows();
      bytes += p.bytes();
    }
    return new Batch(tp.topic(), tp.partition(), take);
  }

  /** The batch's intent is committed: it leaves the pending records and is being written. */
  void start(Batch batch, long nowNanos) {
    for (int i = 0; i < batch.records().size(); i++) {
      Pending p = pending.removeFirst();
      pendingRows -= p.rows();
      pendingBytes -= p.bytes();
    }
    forced = null;
    inFlight = batch;
    oldestPendingNanos = nowNanos;
  }

  /** The batch is in ClickHouse (or was cancelled); returns false if it is not the one in flight. */
  boolean finish(Batch batch) {
    if (inFlight != batch) {
      return false;
    }
    inFlight = null;
    return true;
  }

  Batch inFlight() {
    return inFlight;
  }

  long pendingRows() {
    return pendingRows;
  }

  long pendingBytes() {
    return pendingBytes;
  }

  /**
   * Whether the partition should stop fetching: a batch is being written and a full one waits behind
   * it, so what it holds stays within about two batches. Never with nothing in flight: then a full
   * batch starts at once, and a range recorded before a restart (cut under the limits of its time,
   * maybe larger ones) is always fetched whole, since it is the first batch of the partition.
   */
  boolean shouldPause(BatchLimits limits) {
    return inFlight != null && limits.full(pendingRows, pendingBytes);
  }

  boolean paused() {
    return paused;
  }

  void paused(boolean p) {
    paused = p;
  }

  /** A completed batch's offset whose commit failed: committed again on the next round. */
  void uncommitted(org.apache.kafka.clients.consumer.OffsetAndMetadata offset) {
    uncommitted = offset;
  }

  org.apache.kafka.clients.consumer.OffsetAndMetadata takeUncommitted() {
    org.apache.kafka.clients.consumer.OffsetAndMetadata u = uncommitted;
    uncommitted = null;
    return u;
  }

  /** Forget everything (partition revoked): the in-flight batch stops retrying. */
  void revoke() {
    if (inFlight != null) {
      inFlight.cancel();
    }
    pending.clear();
    pendingRows = 0;
    pendingBytes = 0;
  }
}
