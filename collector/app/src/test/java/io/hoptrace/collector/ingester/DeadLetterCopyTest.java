package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.kafka.Topics;
import io.hoptrace.kafka.replay.DeadLetterCopy;
import io.hoptrace.kafka.replay.ReplayHeaders;
import io.hoptrace.kafka.replay.ReplayRange;
import io.hoptrace.kafka.replay.TopicReplayer;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./stack replay otlp_spans.dlq}: once ClickHouse would take the refused rows (the constraint
 * dropped), replaying the dead-letter topic sends each letter back to its original topic and
 * partition; only the rows not stored yet are stored, once, also when replayed twice.
 */
@ExtendWith(RealInfrastructure.class)
class DeadLetterCopyTest {

  @Test
  void replayingTheDlqStoresTheRefusedRowsOnceAndNothingElseAgain(Infrastructure infra) throws Exception {
    try (TestCollector c = TestCollector.on(infra, "dlq-copy")) {
      c.createTopics();
      c.query("ALTER TABLE otel_traces ADD CONSTRAINT no_refuse_me CHECK SpanName != 'refuse-me'");
      String topic = c.topic(Signal.TRACES);
      ExportTraceServiceRequest.Builder bad = Otlp.traces("dlq-copy", 2, 2, 5).toBuilder();
      bad.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(7).setName("refuse-me");
      try (var p = RefusedRowTest.producer(c)) {
        p.send(new ProducerRecord<>(topic, 1, null, Otlp.traces("dlq-copy", 1, 2, 5).toByteArray())).get();
        p.send(new ProducerRecord<>(topic, 1, "bad".getBytes(), bad.build().toByteArray())).get();
      }
      c.start();
      c.await("SELECT count() FROM otel_traces", 19, Duration.ofSeconds(60));
      assertThat(RefusedRowTest.deadLetters(c, topic, 1)).hasSize(1);

      c.query("ALTER TABLE otel_traces DROP CONSTRAINT no_refuse_me");
      TopicReplayer replayer = new TopicReplayer(c.kafka);
      for (int round = 1; round <= 2; round++) {
        TopicReplayer.Plan plan = replayer.plan(new ReplayRange(Topics.deadLetter(topic), Optional.empty(), Optional.empty()));
        TopicReplayer.Result result = replayer.replayDeadLetters(plan, topic, (phase, done, total) -> { });
        assertThat(result.records()).isEqualTo(1);
        assertThat(result.copiesEnd()).containsOnlyKeys(1); // back to the letter's own partition
        assertThat(replayer.awaitConsumers(result, topic, Duration.ofSeconds(60), (phase, done, total) -> { }))
            .as("the ingester processed the copy").isEmpty();
        assertThat(c.count("SELECT count() FROM otel_traces")).as("round " + round).isEqualTo(20);
      }
      assertThat(c.count("SELECT count() FROM otel_traces WHERE SpanName = 'refuse-me'")).isEqualTo(1);
      assertThat(c.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces")).isEqualTo(20);
      assertThat(RefusedRowTest.deadLetters(c, topic, 1)).as("not dead-lettered again").hasSize(1);
    }
  }

  @Test
  void theCopyGoesToTheOriginWithoutTheDlqHeadersAsAReplayOfTheOriginalOffset() {
    RecordHeaders h = new RecordHeaders();
    h.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
    h.add("custom", "kept".getBytes(StandardCharsets.UTF_8));
    h.add(DeadLetters.ERROR, "refused".getBytes(StandardCharsets.UTF_8));
    h.add(DeadLetters.ERROR_CODE, "469".getBytes(StandardCharsets.UTF_8));
    h.add(DeadLetters.TOPIC, "otlp_spans".getBytes(StandardCharsets.UTF_8));
    h.add(DeadLetters.PARTITION, "2".getBytes(StandardCharsets.UTF_8));
    h.add(DeadLetters.OFFSET, "41".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<byte[], byte[]> letter = new ConsumerRecord<>("otlp_spans.dlq", 0, 7, 0L, TimestampType.CREATE_TIME, 0, 0,
        "k".getBytes(), "v".getBytes(), h, Optional.empty());

    ProducerRecord<byte[], byte[]> copy = DeadLetterCopy.copyOf(letter, "otlp_spans", "run-1");
    assertThat(copy.topic()).isEqualTo("otlp_spans");
    assertThat(copy.partition()).isEqualTo(2);
    assertThat(copy.key()).isEqualTo("k".getBytes());
    assertThat(copy.value()).isEqualTo("v".getBytes());
    List<String> keys = java.util.stream.StreamSupport.stream(copy.headers().spliterator(), false).map(Header::key).toList();
    assertThat(keys).noneMatch(k -> k.startsWith("hoptrace.dlq.")).doesNotContain("traceparent").contains("custom");
    assertThat(ReplayHeaders.of(copy.headers())).hasValue("otlp_spans/2/41");

    assertThatThrownBy(() -> DeadLetterCopy.copyOf(letter, "otlp_logs", "run-1")).hasMessageContaining("came from otlp_spans, not otlp_logs");
    ConsumerRecord<byte[], byte[]> bare = new ConsumerRecord<>("otlp_spans.dlq", 0, 8, "k".getBytes(), "v".getBytes());
    assertThatThrownBy(() -> DeadLetterCopy.copyOf(bare, "otlp_spans", "run-1")).hasMessageContaining("has no hoptrace.dlq.topic");
  }
}
