package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.stock.Decision;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What one stock transaction holds until it ends: the offsets of the poll it processes, the CONSUMER
 * spans of its records, and the direct reductions it takes with their answers. It ends exactly once,
 * {@link #committed}, {@link #aborted} or {@link #abandoned}; each way ends every span and completes
 * every reduction, the reductions first (their spans end before their callers hear the outcome).
 */
final class Batch {
  private final Map<TopicPartition, Long> first = new LinkedHashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
  private final List<Span> spans = new ArrayList<>();
  private final List<DirectReduction> reductions;
  private final Map<DirectReduction, Decision> answers = new IdentityHashMap<>();
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final int recordCount;
  private boolean open = true;

  /** @param records the poll: if the transaction does not happen, every partition in it is read again */
  Batch(ConsumerRecords<?, ?> records, List<DirectReduction> reductions) {
    for (TopicPartition tp : records.partitions()) {
      first.put(tp, records.records(tp).get(0).offset());
    }
    this.recordCount = records.count();
    this.reductions = List.copyOf(reductions);
  }

  /** A record of the transaction, processed under {@code span}: the batch ends the span. */
  void consumed(ConsumerRecord<?, ?> r, Span span) {
    next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
    spans.add(span);
  }

  List<DirectReduction> reductions() {
    return reductions;
  }

  /** The decision for a reduction, told to its caller once the transaction committed. */
  void answered(DirectReduction r, Decision d) {
    answers.put(r, d);
  }

  /** Runs once the transaction committed, after its spans ended (tells a restock's caller). */
  void afterCommit(Runnable r) {
    afterCommit.add(r);
  }

  int recordCount() {
    return recordCount;
  }

  /** The offsets to commit with the transaction: one past the last record consumed of each partition. */
  Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
    return next;
  }

  /**
   * Where to read again when the transaction did not happen: the first record of each partition of
   * the poll, also of those it had not reached (their position is past the poll, too).
   */
  Map<TopicPartition, Long> firstOffsets() {
    return first;
  }

  boolean isOpen() {
    return open;
  }

  /** Kafka committed: each reduction hears its decision. */
  void committed() {
    if (end()) {
      for (DirectReduction r : reductions) {
        Decision d = answers.get(r);
        if (d != null) {
          r.succeed(d);
        } else {
          r.fail("the stock transaction committed without deciding it"); // a bug; never leave a caller waiting
        }
      }
      spans.forEach(Span::end);
      afterCommit.forEach(Runnable::run);
    }
  }

  /** Kafka refused or lost the transaction: nothing of it happened. */
  void aborted(Exception e) {
    if (end()) {
      reductions.forEach(r -> r.fail("the stock transaction failed: " + e.getMessage()));
      spans.forEach(s -> {
        s.setStatus(StatusCode.ERROR, "transaction aborted: " + e.getMessage());
        s.end();
      });
    }
  }

  /** An unexpected error left the transaction: no caller waits for its timeout, no span stays open. */
  void abandoned() {
    if (end()) {
      reductions.forEach(r -> r.fail("the stock transaction failed unexpectedly; inventory starts over from Kafka"));
      spans.forEach(Span::end);
    }
  }

  private boolean end() {
    boolean was = open;
    open = false;
    return was;
  }
}
