package io.hoptrace.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The second ingest workload, independent of the services' trace shape: export requests of
 * {@link #SPANS_PER_REQUEST} small spans (about 260 bytes each on the wire: a name, three short
 * attributes, times, ids), {@link #TRACES_PER_REQUEST} traces per request with fresh random trace ids,
 * as an SDK's batch of many short requests looks.
 */
final class SmallSpans {
  static final int SPANS_PER_REQUEST = 512;
  static final int TRACES_PER_REQUEST = 64;

  private final String serviceName;
  private final long startNanos;

  SmallSpans(String serviceName, long startNanos) {
    this.serviceName = serviceName;
    this.startNanos = startNanos;
  }

  String serviceName() {
    return serviceName;
  }

  byte[] request(long seq) {
    SplittableRandom random = new SplittableRandom(seq * 0x9E3779B97F4A7C15L);
    ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("bench.small").setVersion("1.0"));
    int perTrace = SPANS_PER_REQUEST / TRACES_PER_REQUEST;
    long t = startNanos + seq * 1_000_000L;
    for (int tr = 0; tr < TRACES_PER_REQUEST; tr++) {
      ByteString traceId = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(random.nextLong()).putLong(random.nextLong()).array());
      ByteString parent = ByteString.EMPTY;
      for (int s = 0; s < perTrace; s++) {
        ByteString spanId = ByteString.copyFrom(ByteBuffer.allocate(8).putLong(random.nextLong() | 1).array());
        scope.addSpans(Span.newBuilder().setTraceId(traceId).setSpanId(spanId).setParentSpanId(parent)
            .setName(s == 0 ? "GET /items/{id}" : "SELECT items").setKind(s == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(t + s * 1_000L).setEndTimeUnixNano(t + s * 1_000L + 250_000L + random.nextInt(100_000))
            .addAttributes(attr("http.route", "/items/{id}"))
            .addAttributes(attr("db.system", "clickhouse"))
            .addAttributes(KeyValue.newBuilder().setKey("item.id").setValue(AnyValue.newBuilder().setIntValue(random.nextInt(1_000_000)))));
        parent = s == 0 ? spanId : parent;
      }
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", serviceName)).addAttributes(attr("host.name", "bench-host")))
        .addScopeSpans(scope)).build().toByteArray();
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
