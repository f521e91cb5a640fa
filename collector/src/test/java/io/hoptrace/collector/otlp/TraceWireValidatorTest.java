package io.hoptrace.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hoptrace.collector.Otlp;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire-level validator accepts and refuses exactly what a full decode plus the id checks would. */
class TraceWireValidatorTest {

  static ExportTraceServiceRequest request() {
    ExportTraceServiceRequest base = Otlp.traces("svc", 3, 4, 3);
    return base.toBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(Otlp.resource("r"))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(Otlp.richSpan(Otlp.traceId(1, 2), Otlp.nowNanos())))).build();
  }

  static boolean fullDecodeAccepts(byte[] b) {
    try {
      ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(b);
      OtlpDecoder.validate(Signal.TRACES, req);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  static boolean wireAccepts(byte[] b) {
    try {
      TraceWireValidator.validate(b);
      return true;
    } catch (InvalidOtlpException e) {
      return false;
    }
  }

  @Test
  void countsSpansOfAValidRequest() throws Exception {
    assertThat(TraceWireValidator.validate(request().toByteArray())).isEqualTo(13);
  }

  @Test
  void refusesBadIdsAndBadUtf8ByName() {
    Span bad = Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[5])).setSpanId(Otlp.spanId(1)).build();
    byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(bad))).build().toByteArray();
    assertThatThrownBy(() -> TraceWireValidator.validate(body)).hasMessageContaining("resourceSpans[0].scopeSpans[0].spans[0].traceId must be 16 bytes, got 5");

    byte[] name = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
        .addSpans(Span.newBuilder().setTraceId(Otlp.traceId(1, 1)).setSpanId(Otlp.spanId(1)).setName("~~")))).build().toByteArray();
    for (int i = 0; i + 1 < name.length; i++) {
      if (name[i] == '~' && name[i + 1] == '~') {
        name[i] = (byte) 0xC3; // a lead byte followed by '(' : not UTF-8
        name[i + 1] = '(';
      }
    }
    assertThat(fullDecodeAccepts(name)).isFalse();
    assertThatThrownBy(() -> TraceWireValidator.validate(name)).hasMessageContaining("name is not valid UTF-8");
  }

  @Test
  void agreesWithAFullDecodeOnRandomlyDamagedRequests() {
    byte[] valid = request().toByteArray();
    Random random = new Random(42);
    int refused = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] b = valid.clone();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(5) == 0) {
        b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
      }
      boolean full = fullDecodeAccepts(b);
      assertThat(wireAccepts(b)).as("round %d", round).isEqualTo(full);
      refused += full ? 0 : 1;
    }
    assertThat(refused).as("the damage was noticed at all").isGreaterThan(300);
  }
}
