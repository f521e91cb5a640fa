package io.hoptrace.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.collector.otlp.Otlp;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OtlpSplitterTest {

  @Test
  void spansAreGroupedPerTraceIdWithResourceAndScopeKept() throws Exception {
    ExportTraceServiceRequest req = Otlp.traces("svc", 5, 4, 3);
    List<OtlpSplitter.Part> parts = OtlpSplitter.split(Signal.TRACES, req.toByteArray(), 12, 4 << 20);
    assertThat(parts).hasSize(4);
    Set<String> spanIds = new HashSet<>();
    for (OtlpSplitter.Part p : parts) {
      ExportTraceServiceRequest back = ExportTraceServiceRequest.parseFrom(p.value());
      ResourceSpans rs = back.getResourceSpans(0);
      assertThat(rs.getResource()).isEqualTo(req.getResourceSpans(0).getResource());
      assertThat(rs.getScopeSpans(0).getScope()).isEqualTo(req.getResourceSpans(0).getScopeSpans(0).getScope());
      assertThat(rs.getScopeSpans(0).getSpansList()).hasSize(3).allMatch(s -> s.getTraceId().toByteArray().length == 16)
          .allMatch(s -> java.util.Arrays.equals(s.getTraceId().toByteArray(), p.key()));
      assertThat(p.items()).isEqualTo(3);
      rs.getScopeSpans(0).getSpansList().forEach(s -> spanIds.add(java.util.HexFormat.of().formatHex(s.getSpanId().toByteArray())));
    }
    assertThat(spanIds).hasSize(12);
  }

  @Test
  void oneTraceIsSentAsReceived() throws Exception {
    byte[] body = Otlp.traces("svc", 6, 1, 5).toByteArray();
    List<OtlpSplitter.Part> parts = OtlpSplitter.split(Signal.TRACES, body, 5, 4 << 20);
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).value()).isSameAs(body);
  }

  @Test
  void requestsOverTheRecordLimitAreSplitNeverDropped() throws Exception {
    ExportLogsServiceRequest req = Otlp.logs("svc", 1000, Otlp.traceId(1, 1));
    int limit = req.getSerializedSize() / 5;
    List<OtlpSplitter.Part> parts = OtlpSplitter.split(Signal.LOGS, req.toByteArray(), 1000, limit);
    assertThat(parts.size()).isBetween(5, 7);
    List<String> bodies = new ArrayList<>();
    for (OtlpSplitter.Part p : parts) {
      assertThat(p.value().length).isLessThanOrEqualTo(limit);
      assertThat(p.key()).isNull();
      ExportLogsServiceRequest back = ExportLogsServiceRequest.parseFrom(p.value());
      assertThat(back.getResourceLogs(0).getResource()).isEqualTo(req.getResourceLogs(0).getResource());
      back.getResourceLogs(0).getScopeLogs(0).getLogRecordsList().forEach(l -> bodies.add(l.getBody().getStringValue()));
    }
    assertThat(bodies).containsExactlyElementsOf(req.getResourceLogs(0).getScopeLogs(0).getLogRecordsList().stream()
        .map(l -> l.getBody().getStringValue()).toList());
  }

  /** A span as a part of a split request holds it: with its resource level and scope level (their other fields). */
  private record Placed(ResourceSpans resource, ScopeSpans scope, Span span) {}

  private static void collect(ExportTraceServiceRequest req, Map<ByteString, List<Placed>> into) {
    for (ResourceSpans rs : req.getResourceSpansList()) {
      ResourceSpans resource = rs.toBuilder().clearScopeSpans().build();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans scope = ss.toBuilder().clearSpans().build();
        for (Span span : ss.getSpansList()) {
          into.computeIfAbsent(span.getTraceId(), k -> new ArrayList<>()).add(new Placed(resource, scope, span));
        }
      }
    }
  }

  @Test
  void splitRecordsHoldExactlyTheSpansOfEachTraceOnRandomRequests() throws Exception {
    int split = 0;
    for (int seed = 0; seed < 2000; seed++) {
      RandomTraces random = new RandomTraces(seed);
      byte[] body = random.encode(random.request());
      ExportTraceServiceRequest original = ExportTraceServiceRequest.parseFrom(body);
      int spans = OtlpDecoder.validate(Signal.TRACES, original);
      int maxBytes = random.random().nextBoolean() ? 4 << 20 : Math.max(64, body.length / (1 + random.random().nextInt(4)));
      List<OtlpSplitter.Part> parts;
      try {
        parts = OtlpSplitter.split(Signal.TRACES, body, spans, maxBytes);
      } catch (OtlpSplitter.ItemTooLargeException e) {
        continue; // a span with its resource and scope alone is over a small limit: refused (see the test above)
      }
      Map<ByteString, List<Placed>> expected = new LinkedHashMap<>();
      collect(original, expected);
      Map<ByteString, List<Placed>> actual = new LinkedHashMap<>();
      for (OtlpSplitter.Part p : parts) {
        assertThat(p.value().length).as("seed %d: record size", seed).isLessThanOrEqualTo(maxBytes);
        ExportTraceServiceRequest back = ExportTraceServiceRequest.parseFrom(p.value());
        Map<ByteString, List<Placed>> part = new LinkedHashMap<>();
        collect(back, part);
        assertThat(part.keySet()).as("seed %d: one trace per record, its key", seed).allMatch(id -> java.util.Arrays.equals(id.toByteArray(), p.key()));
        part.forEach((id, placed) -> actual.computeIfAbsent(id, k -> new ArrayList<>()).addAll(placed));
        assertThat(p.items()).as("seed %d: items of the record", seed).isEqualTo(part.values().stream().mapToInt(List::size).sum());
      }
      assertThat(actual).as("seed %d", seed).isEqualTo(expected);
      assertThat(new ArrayList<>(actual.keySet())).as("seed %d: traces in request order", seed).isEqualTo(new ArrayList<>(expected.keySet()));
      split += parts.size() > 1 ? 1 : 0;
    }
    assertThat(split).as("requests that were cut into several records").isGreaterThan(500);
  }

  @Test
  void aSingleItemOverTheLimitIsRefusedByName() {
    Span huge = Span.newBuilder().setTraceId(Otlp.traceId(1, 2)).setSpanId(Otlp.spanId(3)).setName("x".repeat(5000)).build();
    byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(huge))).build().toByteArray();
    assertThatThrownBy(() -> OtlpSplitter.split(Signal.TRACES, body, 1, 1000))
        .isInstanceOf(OtlpSplitter.ItemTooLargeException.class).hasMessageContaining("exceeds the largest Kafka record");
  }
}
