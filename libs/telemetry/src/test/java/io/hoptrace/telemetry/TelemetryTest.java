package io.hoptrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.hoptrace.process.Poll;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryTest {
  @Test
  void otelSdkDisabledReallyDisables() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (Telemetry t = Telemetry.builder("svc").override("otel.sdk.disabled", "true")
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).installLogback(false).runtimeMetrics(false).build()) {
      Span s = t.tracer().spanBuilder("x").startSpan();
      s.end();
      assertThat(s.getSpanContext().isValid()).isFalse();
      assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
  }

  @Test
  void serviceNameDefaultsAndW3cPropagationIsOn() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (Telemetry t = Telemetry.builder("svc-a").override("otel.traces.exporter", "none").override("otel.metrics.exporter", "none")
        .override("otel.logs.exporter", "none").addSpanProcessor(SimpleSpanProcessor.create(spans)).installLogback(false).runtimeMetrics(false).build()) {
      t.tracer().spanBuilder("x").startSpan().end();
      assertThat(spans.getFinishedSpanItems().get(0).getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
          .isEqualTo("svc-a");
      assertThat(t.openTelemetry().getPropagators().getTextMapPropagator().fields()).contains("traceparent", "tracestate", "baggage");
    }
  }

  /** The SDK's per-span counters cost every request two metric updates: they are not collected; spans still are. */
  @Test
  void theSdksPerSpanSelfMetricsAreNotCollected() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    try (Telemetry t = Telemetry.builder("svc").override("otel.traces.exporter", "none").override("otel.metrics.exporter", "none")
        .override("otel.logs.exporter", "none").addSpanProcessor(SimpleSpanProcessor.create(spans)).addMetricReader(metrics)
        .installLogback(false).runtimeMetrics(false).build()) {
      for (int i = 0; i < 3; i++) {
        t.tracer().spanBuilder("s" + i).startSpan().end();
      }
      t.meter().counterBuilder("hoptrace.test").build().add(1);
      assertThat(spans.getFinishedSpanItems()).hasSize(3);
      assertThat(metrics.collectAllMetrics()).extracting(io.opentelemetry.sdk.metrics.data.MetricData::getName)
          .contains("hoptrace.test")
          .noneMatch(name -> name.startsWith("otel.sdk.span."));
    }
  }

  @Test
  void untracedPathsAreConfigurable() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (Telemetry t = Telemetry.builder("svc").override("otel.traces.exporter", "none").override("otel.metrics.exporter", "none")
        .override("otel.logs.exporter", "none").override("hoptrace.untraced.paths", "/ready, /live")
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).installLogback(false).runtimeMetrics(false).build()) {
      for (String path : List.of("/ready", "/live", "/health")) {
        t.tracer().spanBuilder("GET").setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER).setAttribute("url.path", path).startSpan().end();
      }
      assertThat(spans.getFinishedSpanItems()).extracting(sp -> sp.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("url.path")))
          .containsExactly("/health");
    }
  }

  @Test
  void aBadUntracedPathIsAConfigurationErrorThatNamesIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Telemetry.builder("svc").override("otel.traces.exporter", "none")
            .override("otel.metrics.exporter", "none").override("otel.logs.exporter", "none").override("hoptrace.untraced.paths", "health")
            .installLogback(false).runtimeMetrics(false).build())
        .isInstanceOf(io.hoptrace.config.Env.ConfigException.class)
        .hasMessageContaining("HOPTRACE_UNTRACED_PATHS: 'health'");
  }

  @Test
  void aBadOtelVariableIsAConfigurationErrorThatNamesIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Telemetry.builder("svc").override("otel.traces.sampler", "sometimes")
            .installLogback(false).runtimeMetrics(false).build())
        .isInstanceOf(io.hoptrace.config.Env.ConfigException.class)
        .hasMessageContaining("sometimes");
  }

  /** A collector that accepts connections and never answers must not slow span creation; the queue drops and counts. */
  @Test
  void aSlowCollectorNeverSlowsTheCallerAndDropsAreCounted() throws Exception {
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (Exception e) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Telemetry t = Telemetry.builder("svc")
          .override("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + silent.getLocalPort())
          .override("otel.bsp.max.queue.size", "100")
          .override("otel.bsp.schedule.delay", "10")
          .override("otel.metrics.exporter", "none")
          .override("otel.logs.exporter", "none")
          .installLogback(false).runtimeMetrics(false)
          .dropReportInterval(Duration.ofMillis(200))
          .build();
      try {
        Tracer tracer = t.tracer();
        // the export is stuck on the first batch: a caller that waited for room in the queue would never
        // finish this loop; one that never waits ends every span and the queue drops what it cannot hold
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
          for (int i = 0; i < 20_000; i++) {
            tracer.spanBuilder("s" + i).startSpan().end();
          }
        }, "ending 20000 spans blocked on a collector that never answers");
        // at most the queue (100) and the batches taken from it were held: the rest was dropped and counted
        Poll.until("the dropped spans to be counted", Duration.ofSeconds(30), Duration.ofMillis(50), () -> t.telemetryLost() >= 10_000);
      } finally {
        t.close(Duration.ofMillis(500));
        for (Socket s : accepted) {
          s.close();
        }
      }
    }
  }
}
