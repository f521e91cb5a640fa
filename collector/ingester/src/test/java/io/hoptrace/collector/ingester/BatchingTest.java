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

  static List<ConsumerRecord<byte[], ByteBuffer>> records(long from, int n, int itemsEach) {
    List<ConsumerRecord<byte[], ByteBuffer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RecordHeaders h = new RecordHeaders();
      h.add(new RecordHeader("hoptrace.items", Integer.toString(itemsEach).getBytes()));
      out.add(new ConsumerRecord<>("t", 0, from + i, 0L, TimestampType.CREATE_TIME, 0, 0, null, ByteBuffer.wrap(new byte[10]), h, Optional.empty()));
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
    Batch b = st.nextBatch(1, 300, 1_000);
    assertThat(b.firstOffset()).isZero();
    assertThat(b.lastOffset()).isEqualTo(2); // 3 records x 100 rows = 300
    st.start(b, 1);
    assertThat(st.nextBatch(2, 300, 1_000)).as("one batch in flight per partition").isNull();
    assertThat(st.finish(b)).isTrue();
    Batch next = st.nextBatch(2, 300, 1_000);
    assertThat(next.firstOffset()).isEqualTo(3);
  }

  @Test
  void oldRowsAreCutAfterTheDelay() {
    PartitionState st = new PartitionState(TP, null);
    st.append(records(0, 2, 1), 0);
    assertThat(st.nextBatch(999, 1000, 1_000)).isNull();
    assertThat(st.nextBatch(1_000, 1000, 1_000).records()).hasSize(2);
  }

  @Test
  void aRecordedRangeIsFormedAgainExactlyWhateverTheSizeSettings() {
    PartitionState st = new PartitionState(TP, new BatchIntent(5, 9));
    st.append(records(5, 3, 1_000), 0);
    assertThat(st.nextBatch(10_000_000, 1, 1)).as("waits for the whole recorded range").isNull();
    st.append(records(8, 6, 1_000), 0);
    Batch b = st.nextBatch(0, 1, 1);
    assertThat(b.firstOffset()).isEqualTo(5);
    assertThat(b.lastOffset()).isEqualTo(9);
    assertThat(b.id()).isEqualTo("t/0/5-9");
    st.start(b, 0);
    st.finish(b);
    assertThat(st.nextBatch(0, 1, 1).firstOffset()).as("then normal batching").isEqualTo(10);
  }
}
