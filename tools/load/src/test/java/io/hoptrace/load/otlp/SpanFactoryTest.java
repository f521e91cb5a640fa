package io.hoptrace.load.otlp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpanFactoryTest {
  @Test
  void spanFactoryPatchesEveryIdAndCountsSpans() throws Exception {
    SpanFactory f = new SpanFactory("t1", 1_700_000_000_000_000_000L);
    byte[] a = f.request(1);
    byte[] b = f.request(3);
    var ra = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(a);
    var rb = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(b);
    var spansA = ra.getResourceSpans(0).getScopeSpansList().stream().flatMap(s -> s.getSpansList().stream()).toList();
    var spansB = rb.getResourceSpans(0).getScopeSpansList().stream().flatMap(s -> s.getSpansList().stream()).toList();
    assertTrue(spansA.size() == f.spans(1) && spansA.size() == 510, "spans " + spansA.size());
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (var s : spansA) {
      ids.add(java.util.HexFormat.of().formatHex(s.getTraceId().toByteArray()) + "/" + java.util.HexFormat.of().formatHex(s.getSpanId().toByteArray()));
    }
    for (var s : spansB) {
      assertTrue(ids.add(java.util.HexFormat.of().formatHex(s.getTraceId().toByteArray()) + "/" + java.util.HexFormat.of().formatHex(s.getSpanId().toByteArray())), "ids repeat across requests");
    }
    assertTrue(f.request(2).length > 0 && f.spans(2) == 510 && f.spansIn(3) == 3L * 510);
  }

  @Test
  void spanIdsCarryTheRequestNumberSoRowsReadBackInSpanIdOrderAreInSendingOrder() throws Exception {
    SpanFactory f = new SpanFactory("t3", 1_700_000_000_000_000_000L);
    for (long seq : new long[] {1, 2, 255, 256}) {
      var r = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(f.request(seq));
      for (var s : r.getResourceSpans(0).getScopeSpansList().stream().flatMap(x -> x.getSpansList().stream()).toList()) {
        String hex = java.util.HexFormat.of().formatHex(s.getSpanId().toByteArray());
        assertTrue(hex.compareTo(SpanFactory.firstSpanIdOf(seq)) >= 0 && hex.compareTo(SpanFactory.firstSpanIdOf(seq + 1)) < 0,
            hex + " of request " + seq);
      }
    }
  }

  @Test
  void wholeTraceRequestsHoldFiveLinkedSpansPerTraceOfOneService() throws Exception {
    var r = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(new SpanFactory("t2").request(7, 4, 0));
    assertTrue(r.getResourceSpansCount() == 1, "one service");
    assertTrue(r.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue().equals("bench-t2"), "service name");
    var spans = r.getResourceSpans(0).getScopeSpansList().stream().flatMap(s -> s.getSpansList().stream()).toList();
    assertTrue(spans.size() == 4 * SpanFactory.SPANS_PER_TRACE, "spans " + spans.size());
    java.util.Set<com.google.protobuf.ByteString> spanIds = new java.util.HashSet<>();
    spans.forEach(s -> spanIds.add(s.getSpanId()));
    long roots = spans.stream().filter(s -> s.getParentSpanId().isEmpty()).count();
    assertTrue(roots == 4, "one root per trace, got " + roots);
    assertTrue(spans.stream().allMatch(s -> s.getParentSpanId().isEmpty() || spanIds.contains(s.getParentSpanId())), "every parent is in the request");
  }
}
