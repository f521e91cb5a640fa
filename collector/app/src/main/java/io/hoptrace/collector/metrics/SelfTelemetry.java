package io.hoptrace.collector.metrics;

import io.hoptrace.telemetry.Telemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Optional;

/**
 * The collector's own telemetry through the project's one bootstrap ({@link Telemetry}): metrics only,
 * exported as OTLP/HTTP to a collector receiver (by default its own), so they land in ClickHouse under
 * {@code service.name=collector}. Traces and logs are switched off: exporting our own telemetry is
 * never traced or logged back into ourselves, so it cannot feed on itself. Forced settings beat the
 * {@code OTEL_*} variables a shell may hold for the services.
 *
 * <p>{@code COLLECTOR_SELF_METRICS_INTERVAL} (15s; 0 turns self-metrics off),
 * {@code COLLECTOR_SELF_METRICS_ENDPOINT} (http://COLLECTOR_HOST:COLLECTOR_OTLP_HTTP_PORT).
 */
public final class SelfTelemetry implements AutoCloseable {
  private final OpenTelemetry openTelemetry;
  private final Optional<Telemetry> telemetry;

  private SelfTelemetry(OpenTelemetry openTelemetry, Optional<Telemetry> telemetry) {
    this.openTelemetry = openTelemetry;
    this.telemetry = telemetry;
  }

  public static SelfTelemetry start(Duration interval, String endpoint) {
    if (interval.isZero()) {
      return new SelfTelemetry(OpenTelemetry.noop(), Optional.empty());
    }
    String base = endpoint.replaceAll("/v1/metrics/?$", "").replaceAll("/+$", "");
    Telemetry t = Telemetry.builder("collector")
        .override("otel.service.name", "collector")
        .override("otel.resource.attributes", "service.namespace=hoptrace")
        .override("otel.traces.exporter", "none")
        .override("otel.logs.exporter", "none")
        .override("otel.metrics.exporter", "otlp")
        .override("otel.exporter.otlp.protocol", "http/protobuf")
        .override("otel.exporter.otlp.endpoint", base)
        .override("otel.metric.export.interval", Long.toString(interval.toMillis()))
        .installLogback(false)
        .build();
    return new SelfTelemetry(t.openTelemetry(), Optional.of(t));
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  @Override
  public void close() {
    telemetry.ifPresent(t -> t.close(Duration.ofSeconds(5)));
  }
}
