package io.hoptrace.telemetry.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaTracingTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  private final KafkaTracing tracing = KafkaTracing.create(otel);

  @Test
  void publishIsAChildOfTheGivenContextAndReplacesAnIncomingTraceparent() {
    Span parent = otel.getTracer("t").spanBuilder("parent").startSpan();
    ProducerRecord<String, String> record = new ProducerRecord<>("topic-a", "key-1", "{}");
    record.headers().add("traceparent", "00-11111111111111111111111111111111-2222222222222222-01".getBytes(StandardCharsets.UTF_8));

    Span publish = tracing.startPublish(Context.root().with(parent), record);
    tracing.endPublish(publish, new RecordMetadata(new TopicPartition("topic-a", 2), 41, 0, 0, 3, 2), null);
    parent.end();

    SpanData s = spans.getFinishedSpanItems().get(0);
    assertThat(s.getName()).isEqualTo("topic-a publish");
    assertThat(s.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(s.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(s.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("kafka");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id"))).isEqualTo("2");
    assertThat(s.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset"))).isEqualTo(41L);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("messaging.kafka.message.key"))).isEqualTo("key-1");
    var headers = record.headers().headers("traceparent");
    assertThat(headers).hasSize(1);
    assertThat(new String(headers.iterator().next().value(), StandardCharsets.UTF_8))
        .startsWith("00-" + s.getTraceId() + "-" + s.getSpanId() + "-");
  }

  @Test
  void processContinuesTheTraceOfTheHeaders() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
    headers.add("ignored", null); // a null-valued header must not break anything

    tracing.startProcess(record(headers), "group-1").end();

    SpanData s = spans.getFinishedSpanItems().get(0);
    assertThat(s.getName()).isEqualTo("topic-a process");
    assertThat(s.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(s.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(s.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name"))).isEqualTo("group-1");
    assertThat(s.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset"))).isEqualTo(7L);
    assertThat(s.getLinks()).isEmpty();
  }

  @Test
  void aReplayedRecordStartsANewTraceLinkedToTheOriginal() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("hoptrace.replay.of", "topic-a/1/3".getBytes(StandardCharsets.UTF_8));
    headers.add("hoptrace.replay.id", "run-9".getBytes(StandardCharsets.UTF_8));
    headers.add("hoptrace.replay.traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));

    tracing.startProcess(record(headers), "group-1").end();

    SpanData s = spans.getFinishedSpanItems().get(0);
    assertThat(s.getParentSpanContext().isValid()).isFalse();
    assertThat(s.getTraceId()).isNotEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(s.getLinks()).hasSize(1);
    assertThat(s.getLinks().get(0).getSpanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(s.getLinks().get(0).getSpanContext().getSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("hoptrace.replay.of"))).isEqualTo("topic-a/1/3");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("hoptrace.replay.id"))).isEqualTo("run-9");
  }

  private static ConsumerRecord<String, String> record(RecordHeaders headers) {
    return new ConsumerRecord<>("topic-a", 1, 7, 0L, TimestampType.CREATE_TIME, 0, 0, "key-1", "{}", headers, java.util.Optional.empty());
  }

  /** The body size attribute counts UTF-8 bytes as the serializer writes them, without encoding the body again. */
  @Test
  void bodySizeIsTheUtf8LengthOfTheValue() {
    for (String v : new String[] {"", "{}", "{\"productId\":\"laptop\"}", "caf\u00e9", "\u20ac100", "\ud83d\ude00 smile",
        "lone \ud83d high", "lone \ude00 low", "end \ud83d"}) {
      assertThat(KafkaTracing.bodySize(v)).as("size of %s", v).isEqualTo(v.getBytes(StandardCharsets.UTF_8).length);
    }
    assertThat(KafkaTracing.bodySize(new byte[] {1, 2, 3})).isEqualTo(3);
    assertThat(KafkaTracing.bodySize(null)).isEqualTo(-1);
  }
}
