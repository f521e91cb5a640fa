package io.hoptrace.inventory.hop;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;

/** An OpenTelemetry SDK whose spans and metrics tests read back: spans are exported as they end. */
final class TestTelemetry implements AutoCloseable {
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();

  List<SpanData> finished() {
    return spans.getFinishedSpanItems();
  }

  SpanData finished(String name) {
    return finished().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no finished span " + name + " in " + finished()));
  }

  /** The value of a long counter or gauge point with these attributes, or null when there is none. */
  Long point(String metric, Attributes attributes) {
    for (MetricData m : metrics.collectAllMetrics()) {
      if (m.getName().equals(metric)) {
        for (LongPointData p : m.getType() == MetricDataType.LONG_SUM
            ? m.getLongSumData().getPoints() : m.getLongGaugeData().getPoints()) {
          if (p.getAttributes().equals(attributes)) {
            return p.getValue();
          }
        }
      }
    }
    return null;
  }

  @Override
  public void close() {
    otel.close();
  }
}
