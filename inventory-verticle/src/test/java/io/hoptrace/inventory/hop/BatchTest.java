package io.hoptrace.inventory.hop;

import static io.hoptrace.inventory.hop.DirectReductionsTest.assertUnavailable;
import static io.hoptrace.inventory.hop.DirectReductionsTest.decision;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchTest {
  private static final TopicPartition P0 = new TopicPartition("stock-reductions", 0);
  private static final TopicPartition P1 = new TopicPartition("stock-reductions", 1);

  private final TestTelemetry telemetry = new TestTelemetry();
  private final DirectReductions queue = new DirectReductions(telemetry.otel.getTracer("test"));
  private final ConsumerRecords<String, String> poll = poll();

  @AfterEach
  void close() {
    telemetry.close();
  }

  @Test
  void itCommitsOnePastTheLastRecordOfEachPartitionAndRewindsToTheFirst() {
    Batch batch = new Batch(poll, List.of());
    poll.forEach(r -> batch.consumed(r, span("r" + r.offset())));

    assertThat(batch.nextOffsets()).isEqualTo(Map.of(P0, new OffsetAndMetadata(7), P1, new OffsetAndMetadata(8)));
    assertThat(batch.firstOffsets()).isEqualTo(Map.of(P0, 5L, P1, 7L));
    assertThat(batch.recordCount()).isEqualTo(3);
  }

  @Test
  void aTransactionThatFailsMidwayRewindsEveryPartitionOfThePollAlsoThoseNotReached() {
    Batch batch = new Batch(poll, List.of());
    batch.consumed(poll.records(P0).get(0), span("r5")); // the send of the next record throws

    assertThat(batch.firstOffsets()).isEqualTo(Map.of(P0, 5L, P1, 7L));
    assertThat(batch.nextOffsets()).isEqualTo(Map.of(P0, new OffsetAndMetadata(6)));
  }

  @Test
  void committedTellsEachReductionItsOwnDecisionThenEndsTheRecordSpans() {
    CompletableFuture<Decision> a = queue.submit(new ReductionRequest("a", "phone", 1));
    CompletableFuture<Decision> b = queue.submit(new ReductionRequest("b", "phone", 1));
    List<DirectReduction> reductions = queue.drain();
    Batch batch = new Batch(poll, reductions);
    poll.forEach(r -> batch.consumed(r, span("r" + r.offset())));
    batch.answered(reductions.get(1), decision("b"));
    batch.answered(reductions.get(0), decision("a"));

    batch.committed();

    assertThat(a.join().requestId()).isEqualTo("a");
    assertThat(b.join().requestId()).isEqualTo("b");
    assertThat(telemetry.finished()).extracting(s -> s.getName())
        .containsExactly("stock transaction", "stock transaction", "r5", "r6", "r7");
    assertThat(telemetry.finished()).allSatisfy(s -> assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET));
    assertThat(batch.isOpen()).isFalse();
  }

  @Test
  void abortedFailsEveryReductionAndMarksEveryRecordSpan() {
    CompletableFuture<Decision> a = queue.submit(new ReductionRequest("a", "phone", 1));
    Batch batch = new Batch(poll, queue.drain());
    batch.consumed(poll.records(P0).get(0), span("r5"));

    batch.aborted(new KafkaException("fenced"));

    assertUnavailable(a, "the stock transaction failed: fenced");
    assertThat(telemetry.finished("r5").getStatus().getDescription()).isEqualTo("transaction aborted: fenced");
    assertThat(telemetry.finished("stock transaction").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void abandonedStillCompletesEveryReductionAndEndsEverySpan() {
    CompletableFuture<Decision> a = queue.submit(new ReductionRequest("a", "phone", 1));
    Batch batch = new Batch(poll, queue.drain());
    batch.consumed(poll.records(P0).get(0), span("r5"));

    batch.abandoned();

    assertUnavailable(a, "the stock transaction failed unexpectedly; inventory starts over from Kafka");
    assertThat(telemetry.finished()).extracting(s -> s.getName()).containsExactlyInAnyOrder("stock transaction", "r5");
  }

  @Test
  void aBatchEndsOnceWhateverHappensAfter() {
    CompletableFuture<Decision> a = queue.submit(new ReductionRequest("a", "phone", 1));
    List<DirectReduction> reductions = queue.drain();
    Batch batch = new Batch(ConsumerRecords.empty(), reductions);
    batch.answered(reductions.get(0), decision("a"));

    batch.committed();
    batch.aborted(new KafkaException("late"));
    batch.abandoned();

    assertThat(a.join().requestId()).isEqualTo("a");
    assertThat(telemetry.finished()).singleElement()
        .satisfies(s -> assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET));
  }

  @Test
  void aReductionLeftWithoutADecisionIsFailedNotForgotten() {
    CompletableFuture<Decision> a = queue.submit(new ReductionRequest("a", "phone", 1));
    Batch batch = new Batch(ConsumerRecords.empty(), queue.drain());

    batch.committed();

    assertUnavailable(a, "the stock transaction committed without deciding it");
  }

  private static ConsumerRecords<String, String> poll() {
    Map<TopicPartition, List<ConsumerRecord<String, String>>> records = new LinkedHashMap<>();
    records.put(P0, List.of(record(P0, 5), record(P0, 6)));
    records.put(P1, List.of(record(P1, 7)));
    return new ConsumerRecords<>(records);
  }

  private Span span(String name) {
    return telemetry.otel.getTracer("test").spanBuilder(name).startSpan();
  }

  private static ConsumerRecord<String, String> record(TopicPartition tp, long offset) {
    return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, "phone", "{}");
  }
}
