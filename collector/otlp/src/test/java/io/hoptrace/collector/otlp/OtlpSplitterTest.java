package io.hoptrace.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.collector.otlp.Otlp;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OtlpSplitterTest {

  @Test
  void spansAreGroupedPerTraceIdWithResourceAndScopeKept() throws Exception {
    ExportTraceServiceRequest req = Otlp.traces("svc", 5, 4, 3);
    List<OtlpSplitter.Part> parts = OtlpSplitter.split(req.toByteArray(), 12, 4 << 20, true);
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
    List<OtlpSplitter.Part> parts = OtlpSplitter.split(body, 5, 4 << 20, true);
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).value()).isSameAs(body);
  }

  @Test
  void requestsOverTheRecordLimitAreSplitNeverDropped() throws Exception {
    ExportLogsServiceRequest req = Otlp.logs("svc", 1000, Otlp.traceId(1, 1));
    int limit = req.getSerializedSize() / 5;
    List<OtlpSplitter.Part> parts = OtlpSplitter.split(req.toByteArray(), 1000, limit, false);
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

  @Test
  void aSingleItemOverTheLimitIsRefusedByName() {
    Span huge = Span.newBuilder().setTraceId(Otlp.traceId(1, 2)).setSpanId(Otlp.spanId(3)).setName("x".repeat(5000)).build();
    byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(huge))).build().toByteArray();
    assertThatThrownBy(() -> OtlpSplitter.split(body, 1, 1000, true))
        .isInstanceOf(OtlpSplitter.ItemTooLargeException.class).hasMessageContaining("exceeds the largest Kafka record");
  }
}
