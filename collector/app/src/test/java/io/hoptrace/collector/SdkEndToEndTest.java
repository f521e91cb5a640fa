package io.hoptrace.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real OpenTelemetry SDK exports traces (OTLP/gRPC), metrics and logs (OTLP/HTTP protobuf) to the
 * collector; they appear in ClickHouse with the columns Grafana's ClickHouse plugin expects.
 */
@ExtendWith(RealInfrastructure.class)
class SdkEndToEndTest {

  @Test
  void tracesMetricsAndLogsFromTheSdkAppearInClickHouse(Infrastructure infra) throws Exception {
    try (TestCollector c = TestCollector.on(infra, "sdk").start()) {
      Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "order")));
      SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
          .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + c.grpcPort()).setCompression("gzip").build()).build()).build();
      SdkMeterProvider metering = SdkMeterProvider.builder().setResource(resource)
          .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
              .setEndpoint(c.httpUrl() + "/v1/metrics").build()).setInterval(Duration.ofHours(1)).build()).build();
      SdkLoggerProvider logging = SdkLoggerProvider.builder().setResource(resource)
          .addLogRecordProcessor(SimpleLogRecordProcessor.create(OtlpHttpLogRecordExporter.builder()
              .setEndpoint(c.httpUrl() + "/v1/logs").build())).build();

      Tracer tracer = tracing.get("io.hoptrace.order", "0.1.0");
      Span server = tracer.spanBuilder("POST /order-product").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "POST").setAttribute("http.response.status_code", 201L).startSpan();
      String traceId = server.getSpanContext().getTraceId();
      SpanContext linked;
      try (Scope ignored = server.makeCurrent()) {
        Span producer = tracer.spanBuilder("stock-reductions publish").setSpanKind(SpanKind.PRODUCER)
            .setAttribute("messaging.system", "kafka").startSpan();
        producer.addEvent("sent", Attributes.of(AttributeKey.longKey("messaging.kafka.offset"), 7L));
        producer.end();
        linked = producer.getSpanContext();
        Span consumer = tracer.spanBuilder("stock-reduction-results process").setSpanKind(SpanKind.CONSUMER)
            .addLink(linked, Attributes.of(AttributeKey.stringKey("why"), "reply")).startSpan();
        consumer.setStatus(StatusCode.ERROR, "out of stock");
        consumer.end();
        logging.get("io.hoptrace.order").logRecordBuilder().setSeverity(Severity.WARN).setSeverityText("WARN")
            .setBody("order rejected: out of stock").setAttribute(AttributeKey.stringKey("order.id"), "o-1").emit();
      }
      server.end();
      metering.get("io.hoptrace.order").counterBuilder("orders.placed").build().add(3, Attributes.of(AttributeKey.stringKey("outcome"), "ok"));
      metering.get("io.hoptrace.order").histogramBuilder("http.server.request.duration").setUnit("s").build().record(0.12);

      assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(metering.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(logging.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

      String trace = " FROM otel_traces WHERE TraceId = '" + traceId + "'";
      c.await("SELECT count()" + trace, 3, Duration.ofSeconds(60));
      assertThat(c.query("SELECT arrayStringConcat(arraySort(groupArray(SpanKind || ':' || StatusCode)), ',')" + trace))
          .isEqualTo("Consumer:Error,Producer:Unset,Server:Unset");
      assertThat(c.count("SELECT count()" + trace + " AND ParentSpanId = '" + server.getSpanContext().getSpanId() + "'")).isEqualTo(2);
      assertThat(c.query("SELECT ScopeName || ' ' || ScopeVersion || ' ' || ServiceName || ' ' || ResourceAttributes['telemetry.sdk.language']" + trace + " LIMIT 1"))
          .isEqualTo("io.hoptrace.order 0.1.0 order java");
      assertThat(c.query("SELECT Events.Name[1] || ' ' || Events.Attributes[1]['messaging.kafka.offset']" + trace + " AND SpanKind = 'Producer'"))
          .isEqualTo("sent 7");
      assertThat(c.query("SELECT Links.SpanId[1] || ' ' || Links.Attributes[1]['why'] || ' ' || StatusMessage" + trace + " AND SpanKind = 'Consumer'"))
          .isEqualTo(linked.getSpanId() + " reply out of stock");
      assertThat(c.query("SELECT SpanAttributes['http.response.status_code']" + trace + " AND SpanKind = 'Server'")).isEqualTo("201");

      c.await("SELECT count() FROM otel_logs WHERE TraceId = '" + traceId + "' AND SeverityText = 'WARN' AND Body = 'order rejected: out of stock'"
          + " AND LogAttributes['order.id'] = 'o-1' AND ServiceName = 'order'", 1, Duration.ofSeconds(60));
      c.await("SELECT count() FROM otel_metrics_sum WHERE ServiceName = 'order' AND MetricName = 'orders.placed' AND Value = 3 AND Attributes['outcome'] = 'ok'", 1, Duration.ofSeconds(60));
      c.await("SELECT count() FROM otel_metrics_histogram WHERE ServiceName = 'order' AND MetricName = 'http.server.request.duration' AND Count = 1", 1, Duration.ofSeconds(60));

      tracing.close();
      metering.close();
      logging.close();
    }
  }
}
