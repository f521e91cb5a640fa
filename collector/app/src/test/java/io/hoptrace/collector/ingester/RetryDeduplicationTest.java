package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.Http;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client's retry of an export whose first attempt did reach Kafka (the answer was lost): the same
 * spans arrive again as new records at new offsets, so their insert tokens are new and only the
 * ingester's de-duplication window (docs/adr/009) keeps them from being stored twice.
 */
@ExtendWith(RealInfrastructure.class)
class RetryDeduplicationTest {
  static final int TRACES = 6;
  static final int SPANS_PER_TRACE = 5;
  static final long SPANS = TRACES * SPANS_PER_TRACE;

  @Test
  void theSameExportSentTwiceIsStoredOnce(Infrastructure infra) throws Exception {
    try (TestCollector c = TestCollector.on(infra, "dedup-retry").start()) {
      byte[] request = Otlp.traces("retry", 11, TRACES, SPANS_PER_TRACE).toByteArray();
      assertThat(Http.post(c.httpUrl() + "/v1/traces", request).statusCode()).isEqualTo(200);
      assertThat(Http.post(c.httpUrl() + "/v1/traces", request).statusCode()).isEqualTo(200);
      assertThat(endOffsets(c).values().stream().mapToLong(Long::longValue).sum()).as("two records per trace in Kafka").isEqualTo(2L * TRACES);
      awaitIngested(c);
      assertThat(c.count("SELECT count() FROM otel_traces")).as("rows").isEqualTo(SPANS);
      assertThat(c.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces")).isEqualTo(SPANS);
    }
  }

  @Test
  void withoutTheWindowTheRetryIsStoredTwice(Infrastructure infra) throws Exception {
    // the control: what the window prevents happens without it (insert tokens alone do not help)
    try (TestCollector c = TestCollector.on(infra, "dedup-off").with("COLLECTOR_DEDUP_WINDOW_RECORDS", "0").start()) {
      byte[] request = Otlp.traces("retry", 12, TRACES, SPANS_PER_TRACE).toByteArray();
      assertThat(Http.post(c.httpUrl() + "/v1/traces", request).statusCode()).isEqualTo(200);
      assertThat(Http.post(c.httpUrl() + "/v1/traces", request).statusCode()).isEqualTo(200);
      awaitIngested(c);
      assertThat(c.count("SELECT count() FROM otel_traces")).isEqualTo(2 * SPANS);
    }
  }

  @Test
  void aRetryAfterAnIngesterRestartIsStoredOnceAndAReusedIdWithOtherContentIsKept(Infrastructure infra) throws Exception {
    TestCollector c = TestCollector.on(infra, "dedup-restart").with("COLLECTOR_ROLES", "ingester");
    c.createTopics();
    ExportTraceServiceRequest request = Otlp.traces("retry", 13, 1, SPANS_PER_TRACE); // one trace: one record, as the receiver writes it
    byte[] key = request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray();
    try (KafkaProducer<byte[], byte[]> p = ReplayTest.producer(c.kafka)) {
      p.send(new ProducerRecord<>(c.topic(Signal.TRACES), 1, key, request.toByteArray())).get();
      for (int i = 0; i < 30; i++) { // other traffic between the attempt and its retry
        p.send(new ProducerRecord<>(c.topic(Signal.TRACES), 1, key, Otlp.traces("other", 100 + i, 1, 2).toByteArray())).get();
      }
    }
    try (TestCollector first = c.start()) {
      awaitIngested(c);
      assertThat(c.count("SELECT count() FROM otel_traces")).isEqualTo(SPANS_PER_TRACE + 60);
    }

    // the retry reaches Kafka while no ingester runs: the next one must rebuild its window from the log
    ExportTraceServiceRequest sameIdsOtherContent = request.toBuilder()
        .setResourceSpans(0, request.getResourceSpans(0).toBuilder().setScopeSpans(0, request.getResourceSpans(0).getScopeSpans(0).toBuilder()
            .setSpans(0, request.getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder().setName("renamed"))))
        .build();
    try (KafkaProducer<byte[], byte[]> p = ReplayTest.producer(c.kafka)) {
      p.send(new ProducerRecord<>(c.topic(Signal.TRACES), 1, key, request.toByteArray())).get();
      p.send(new ProducerRecord<>(c.topic(Signal.TRACES), 1, key, sameIdsOtherContent.toByteArray())).get();
    }
    try (TestCollector second = c.start()) {
      awaitIngested(c);
      assertThat(c.count("SELECT count() FROM otel_traces WHERE ServiceName = 'retry'"))
          .as("the retried spans once, plus the one span whose content differs").isEqualTo(SPANS_PER_TRACE + 1);
      assertThat(c.count("SELECT count() FROM otel_traces WHERE ServiceName = 'retry' AND SpanName = 'renamed'")).isEqualTo(1);
      assertThat(c.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces WHERE ServiceName = 'retry'")).isEqualTo(SPANS_PER_TRACE);
      assertThat(c.count("SELECT count() FROM otel_traces")).isEqualTo(SPANS_PER_TRACE + 1 + 60);
    }
  }

  /** Waits until the ingester's group committed the end of every partition of the spans topic (everything written). */
  static void awaitIngested(TestCollector c) {
    String group = c.env.get("COLLECTOR_GROUP_PREFIX") + "-" + Signal.TRACES.label();
    Poll.until("the ingester to commit every span record", Duration.ofSeconds(90), Duration.ofMillis(200), () -> {
      Map<TopicPartition, Long> end = endOffsets(c);
      try (Admin admin = admin(c)) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return end.entrySet().stream().allMatch(e -> e.getValue() == 0
            || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue()));
      }
    });
  }

  static Map<TopicPartition, Long> endOffsets(TestCollector c) throws Exception {
    try (Admin admin = admin(c)) {
      String topic = c.topic(Signal.TRACES);
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      for (int i = 0; i < partitions; i++) {
        latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private static Admin admin(TestCollector c) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka));
  }
}
