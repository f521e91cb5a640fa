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
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;

/**
 * Realistic export batches: traces of an HTTP SERVER span, a Kafka PRODUCER span and a Kafka
 * CONSUMER span (the attribute mix of the order → inventory flow), from two services, as an SDK's
 * BatchSpanProcessor would send them (one request per service, many traces per request).
 */
public final class SpanFactory {
  public static final int SPANS_PER_TRACE = 3;

  private final String runId;

  public SpanFactory(String runId) {
    this.runId = runId;
  }

  private static KeyValue s(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static KeyValue i(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  private Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(s("service.name", "bench-" + runId))
        .addAttributes(s("service.namespace", "hoptrace"))
        .addAttributes(s("service.instance.id", service + "-7f9c2b"))
        .addAttributes(s("service.version", "0.1.0"))
        .addAttributes(s("telemetry.sdk.language", "java"))
        .addAttributes(s("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(s("telemetry.sdk.version", "1.68.0"))
        .addAttributes(s("host.name", "bench-host"))
        .addAttributes(s("process.runtime.name", "OpenJDK Runtime Environment"))
        .build();
  }

  static ByteString id(long a, long b, int len) {
    ByteBuffer bb = ByteBuffer.allocate(16).putLong(a).putLong(b);
    return ByteString.copyFrom(bb.array(), 16 - len, len);
  }

  /** One request of {@code traces} traces; {@code seed} makes every id unique across the run. */
  public byte[] request(long seed, int traces, long nowNanos) {
    ScopeSpans.Builder http = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.vertx-http").setVersion("5.0.7"));
    ScopeSpans.Builder kafka = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.vertx.kafka.client").setVersion("5.0.7"));
    for (int t = 0; t < traces; t++) {
      long n = seed * 100_000 + t;
      ByteString traceId = id(0x5b8efff798038103L ^ seed, n, 16);
      ByteString server = id(0, n * 4 + 1, 8);
      ByteString producer = id(0, n * 4 + 2, 8);
      ByteString consumer = id(0, n * 4 + 3, 8);
      long start = nowNanos + t * 1_000L;
      http.addSpans(Span.newBuilder().setTraceId(traceId).setSpanId(server).setName("POST /order-product").setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 8_400_000)
          .addAttributes(s("http.request.method", "POST")).addAttributes(s("url.path", "/order-product")).addAttributes(s("url.scheme", "http"))
          .addAttributes(s("http.route", "/order-product")).addAttributes(i("http.response.status_code", 201))
          .addAttributes(s("server.address", "127.0.0.1")).addAttributes(i("server.port", 8000))
          .addAttributes(s("client.address", "127.0.0.1")).addAttributes(s("user_agent.original", "curl/8.5.0"))
          .addAttributes(s("network.protocol.version", "1.1")));
      kafka.addSpans(Span.newBuilder().setTraceId(traceId).setSpanId(producer).setParentSpanId(server).setName("stock-reductions publish")
          .setKind(Span.SpanKind.SPAN_KIND_PRODUCER).setStartTimeUnixNano(start + 200_000).setEndTimeUnixNano(start + 1_900_000)
          .addAttributes(s("messaging.system", "kafka")).addAttributes(s("messaging.destination.name", "stock-reductions"))
          .addAttributes(s("messaging.operation.type", "send")).addAttributes(s("messaging.kafka.message.key", "product-" + (t % 50)))
          .addAttributes(i("messaging.destination.partition.id", t % 3)).addAttributes(s("server.address", "127.0.0.1"))
          .addAttributes(i("server.port", 9092)).addAttributes(s("peer.service", "kafka")));
      kafka.addSpans(Span.newBuilder().setTraceId(traceId).setSpanId(consumer).setParentSpanId(producer).setName("stock-reductions process")
          .setKind(Span.SpanKind.SPAN_KIND_CONSUMER).setStartTimeUnixNano(start + 2_500_000).setEndTimeUnixNano(start + 6_100_000)
          .addAttributes(s("messaging.system", "kafka")).addAttributes(s("messaging.destination.name", "stock-reductions"))
          .addAttributes(s("messaging.operation.type", "process")).addAttributes(s("messaging.consumer.group.name", "inventory"))
          .addAttributes(i("messaging.kafka.offset", n)).addAttributes(i("messaging.destination.partition.id", t % 3))
          .addAttributes(s("messaging.kafka.message.key", "product-" + (t % 50)))
          .setStatus(t % 20 == 0 ? Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("insufficient stock").build()
              : Status.getDefaultInstance()));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource("order")).addScopeSpans(http).addScopeSpans(kafka))
        .build().toByteArray();
  }
}
