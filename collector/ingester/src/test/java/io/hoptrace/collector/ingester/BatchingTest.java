package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The batch rules of one partition: size/time cuts, one batch in flight, and the recorded range after a crash. */
class BatchingTest {
  static final TopicPartition TP = new TopicPartition("t", 0);

  /** Limits by rows and delay only (bytes never cut). */
  static BatchLimits rows(int rows, long delayNanos) {
    return new BatchLimits(rows, Long.MAX_VALUE, delayNanos);
  }

  static List<ConsumerRecord<byte[], ByteBuffer>> records(long from, int n, int itemsEach) {
    return records(from, n, itemsEach, 10);
  }

  static List<ConsumerRecord<byte[], ByteBuffer>> records(long from, int n, int itemsEach, int valueBytes) {
    List<ConsumerRecord<byte[], ByteBuffer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RecordHeaders h = new RecordHeaders();
      h.add(new RecordHeader("hoptrace.items", Integer.toString(itemsEach).getBytes()));
      out.add(new ConsumerRecord<>("t", 0, from + i, 0L, TimestampType.CREATE_TIME, 0, 0, null, ByteBuffer.wrap(new byte[valueBytes]), h, Optional.empty()));
    }
    return out;
  }

  @Test
  void intentMetadataRoundTripsAndBelongsToItsOffset() {
    BatchIntent i = new BatchIntent(10, 19);
    assertThat(BatchIntent.parse(10, i.metadata())).contains(i);
    assertThat(BatchIntent.parse(20, i.metadata())).isEmpty();
    assertThat(BatchIntent.parse(10, "")).isEmpty();
    assertThat(BatchIntent.parse(10, "something else")).isEmpty();
  }

  @Test
  void cutsBySizeOrAgeAndKeepsOneBatchInFlight() {
    PartitionState st = new PartitionState(TP, null);
    st.append(records(0, 10, 100), 0);
    Batch b = st.nextBatch(1, rows(300, 1_000));
    assertThat(b.firstOffset()).isZero();
    assertThat(b.lastOffset()).isEqualTo(2); // 3 records x 100 rows = 300
    st.start(b, 1);
    assertThat(st.nextBatch(2, rows(300, 1_000))).as("one batch in flight per partition").isNull();
    assertThat(st.finish(b)).isTrue();
    Batch next = st.nextBatch(2, rows(300, 1_000));
    assertThat(next.firstOffset()).isEqualTo(3);
  }

  @Test
  void oldRowsAreCutAfterTheDelay() {
    PartitionState st = new PartitionState(TP, null);
    st.append(records(0, 2, 1), 0);
    assertThat(st.nextBatch(999, rows(1000, 1_000))).isNull();
    assertThat(st.nextBatch(1_000, rows(1000, 1_000)).records()).hasSize(2);
  }

  @Test
  void aRecordedRangeIsFormedAgainExactlyWhateverTheSizeSettings() {
    PartitionState st = new PartitionState(TP, new BatchIntent(5, 9));
    st.append(records(5, 3, 1_000), 0);
    assertThat(st.nextBatch(10_000_000, rows(1, 1))).as("waits for the whole recorded range").isNull();
    st.append(records(8, 6, 1_000), 0);
    Batch b = st.nextBatch(0, rows(1, 1));
    assertThat(b.firstOffset()).isEqualTo(5);
    assertThat(b.lastOffset()).isEqualTo(9);
    assertThat(b.id()).isEqualTo("t/0/5-9");
    st.start(b, 0);
    st.finish(b);
    assertThat(st.nextBatch(0, rows(1, 1)).firstOffset()).as("then normal batching").isEqualTo(10);
  }

  @Test
  void cutsByBytesToo() {
    PartitionState st = new PartitionState(TP, null);
    st.append(records(0, 10, 1, 1_000), 0);
    BatchLimits limits = new BatchLimits(1_000, 3_500, 1_000);
    assertThat(st.pendingBytes()).isEqualTo(10_000);
    Batch b = st.nextBatch(0, limits);
    assertThat(b.records()).as("3 records of 1,000 bytes: a fourth would pass 3,500").hasSize(3);
    st.start(b, 0);
    assertThat(st.pendingBytes()).isEqualTo(7_000);
  }

  @Test
  void aRecordLargerThanTheByteLimitIsABatchOfItsOwn() {
    PartitionState st = new PartitionState(TP, null);
    st.append(records(0, 2, 1, 5_000), 0);
    Batch b = st.nextBatch(0, new BatchLimits(1_000, 1_000, 1_000));
    assertThat(b.records()).hasSize(1);
    assertThat(b.firstOffset()).isZero();
  }

  @Test
  void pausesOnlyWithABatchInFlightAndAFullOneWaitingBehindIt() {
    BatchLimits limits = new BatchLimits(1_000, 5_000, 1_000_000);
    PartitionState st = new PartitionState(TP, null);
    st.append(records(0, 6, 1, 1_000), 0);
    assertThat(st.shouldPause(limits)).as("nothing in flight: the full batch starts at once").isFalse();
    Batch b = st.nextBatch(0, limits);
    st.start(b, 0);
    assertThat(b.records()).hasSize(5);
    assertThat(st.shouldPause(limits)).as("one record behind the batch in flight").isFalse();
    st.append(records(6, 4, 1, 1_000), 0);
    assertThat(st.shouldPause(limits)).as("a full batch by bytes waits behind the one in flight").isTrue();
    st.finish(b);
    assertThat(st.shouldPause(limits)).as("the batch landed: the waiting one can start").isFalse();
    st.start(st.nextBatch(0, limits), 0);
    assertThat(st.shouldPause(limits)).isFalse();
    assertThat(st.pendingRows()).isZero();
  }

  @Test
  void aRecordedRangeStillBeingFetchedIsNeverPaused() {
    // a range cut under larger limits before a restart: pausing at the new, smaller limit would wait forever
    BatchLimits limits = new BatchLimits(2, 1_000_000, 0);
    PartitionState st = new PartitionState(TP, new BatchIntent(0, 9));
    st.append(records(0, 5, 1), 0);
    assertThat(st.nextBatch(0, limits)).isNull();
    assertThat(st.shouldPause(limits)).isFalse();
  }
}
