package io.hoptrace.collector.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/** Test data: OTLP requests with current timestamps (old ones would fall to the tables' TTL). */
public final class Otlp {
  private Otlp() {}

  public static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  public static KeyValue attr(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  public static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(attr("service.name", service)).addAttributes(attr("host.name", "test")).build();
  }

  public static ByteString traceId(long hi, long lo) {
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(hi).putLong(lo).array());
  }

  public static ByteString spanId(long v) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(v).array());
  }

  public static long nowNanos() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  /** {@code traces} traces of {@code spansPerTrace} spans each, ids unique per call ({@code seed}). */
  public static ExportTraceServiceRequest traces(String service, long seed, int traces, int spansPerTrace) {
    long now = nowNanos();
    ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test-scope").setVersion("1.2.3"));
    for (int t = 0; t < traces; t++) {
      ByteString tid = traceId(seed, t + 1);
      for (int s = 0; s < spansPerTrace; s++) {
        Span.Builder span = Span.newBuilder().setTraceId(tid).setSpanId(spanId(seed * 1_000_000 + t * 1000L + s + 1))
            .setName(s == 0 ? "GET /orders" : "orders publish").setKind(s == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_PRODUCER)
            .setStartTimeUnixNano(now + s * 1000L).setEndTimeUnixNano(now + s * 1000L + 2_000_000)
            .addAttributes(attr("http.request.method", "GET")).addAttributes(attr("http.response.status_code", 200));
        if (s > 0) {
          span.setParentSpanId(spanId(seed * 1_000_000 + t * 1000L + 1));
        }
        scope.addSpans(span);
      }
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource(service)).addScopeSpans(scope)).build();
  }

  public static Span richSpan(ByteString traceId, long now) {
    return Span.newBuilder().setTraceId(traceId).setSpanId(spanId(0xabcdef01L)).setParentSpanId(spanId(0x1234L))
        .setTraceState("vendor=1").setName("stock-reductions process").setKind(Span.SpanKind.SPAN_KIND_CONSUMER)
        .setStartTimeUnixNano(now).setEndTimeUnixNano(now + 1_500_000)
        .addAttributes(attr("messaging.system", "kafka")).addAttributes(attr("messaging.kafka.offset", 42))
        .addAttributes(KeyValue.newBuilder().setKey("ratio").setValue(AnyValue.newBuilder().setDoubleValue(0.25)))
        .addAttributes(KeyValue.newBuilder().setKey("ok").setValue(AnyValue.newBuilder().setBoolValue(true)))
        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(now + 10).addAttributes(attr("exception.type", "IllegalStateException")))
        .addLinks(Span.Link.newBuilder().setTraceId(traceId(7, 7)).setSpanId(spanId(77)).setTraceState("l=1").addAttributes(attr("link.kind", "follows")))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("out of stock"))
        .build();
  }

  public static ExportLogsServiceRequest logs(String service, int n, ByteString traceId) {
    long now = nowNanos();
    ScopeLogs.Builder scope = ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("log-scope"));
    for (int i = 0; i < n; i++) {
      scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(now + i).setObservedTimeUnixNano(now + i)
          .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN).setSeverityText("WARN")
          .setBody(AnyValue.newBuilder().setStringValue("line " + i + " " + ThreadLocalRandom.current().nextInt()))
          .setTraceId(traceId).setSpanId(spanId(i + 1)).setFlags(1).addAttributes(attr("i", i)));
    }
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(resource(service)).addScopeLogs(scope)).build();
  }

  /** One metric of each of the five types, each with one data point (and exemplars where the type has them). */
  public static ExportMetricsServiceRequest allMetricTypes(String service) {
    long now = nowNanos();
    long start = now - 60_000_000_000L;
    Exemplar ex = Exemplar.newBuilder().setTimeUnixNano(now).setAsDouble(12.5).setTraceId(traceId(9, 9)).setSpanId(spanId(99))
        .addFilteredAttributes(attr("user", "u1")).build();
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("meter").setVersion("2"));
    sm.addMetrics(Metric.newBuilder().setName("stock.level").setUnit("{item}").setDescription("stock")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(now).setStartTimeUnixNano(start)
            .setAsInt(17).addAttributes(attr("product", "p1")).addExemplars(ex))));
    sm.addMetrics(Metric.newBuilder().setName("orders.placed").setUnit("{order}")
        .setSum(Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(now).setStartTimeUnixNano(start).setAsDouble(3).addExemplars(ex))));
    sm.addMetrics(Metric.newBuilder().setName("http.server.request.duration").setUnit("s")
        .setHistogram(Histogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(now).setStartTimeUnixNano(start).setCount(3).setSum(0.6)
                .addExplicitBounds(0.1).addExplicitBounds(1).addBucketCounts(1).addBucketCounts(2).addBucketCounts(0)
                .setMin(0.05).setMax(0.3).addExemplars(ex))));
    sm.addMetrics(Metric.newBuilder().setName("kafka.lag.exp").setUnit("{record}")
        .setExponentialHistogram(ExponentialHistogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(now).setStartTimeUnixNano(start).setCount(4).setSum(10)
                .setScale(2).setZeroCount(1)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(3).addBucketCounts(2).addBucketCounts(1))
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(0))
                .setMin(0).setMax(5).addExemplars(ex))));
    sm.addMetrics(Metric.newBuilder().setName("rpc.latency.summary").setUnit("ms")
        .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(now).setStartTimeUnixNano(start)
            .setCount(10).setSum(55)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(5))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(9.9)))));
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(service)).addScopeMetrics(sm)).build();
  }

  /** A protobuf length-delimited field ({@code field}, wire type 2) around {@code value}: for hand-made, possibly malformed messages. */
  public static byte[] lengthDelimited(int field, byte[] value) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    com.google.protobuf.CodedOutputStream c = com.google.protobuf.CodedOutputStream.newInstance(out);
    c.writeByteArray(field, value);
    c.flush();
    return out.toByteArray();
  }

  public static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
