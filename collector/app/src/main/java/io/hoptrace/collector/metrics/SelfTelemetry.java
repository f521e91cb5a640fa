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
 * {@code COLLECTOR_SELF_METRICS_ENDPOINT} (http://COLLECTOR_HOST:COLLECTOR_OTLP_HTTP_PORT, https with TLS).
 * When the receiver asks for a bearer token, they carry it; when it serves TLS, its certificate is trusted.
 */
public final class SelfTelemetry implements AutoCloseable {
  private final OpenTelemetry openTelemetry;
  private final Optional<Telemetry> telemetry;

  private SelfTelemetry(OpenTelemetry openTelemetry, Optional<Telemetry> telemetry) {
    this.openTelemetry = openTelemetry;
    this.telemetry = telemetry;
  }

  public static SelfTelemetry start(Duration interval, String endpoint) {
    return start(interval, endpoint, Optional.empty(), Optional.empty());
  }

  /**
   * @param token the receiver's bearer token, sent as {@code Authorization: Bearer <token>}
   * @param trustedCertificate a PEM certificate to trust (the receiver's own, self-signed or not)
   */
  public static SelfTelemetry start(Duration interval, String endpoint, Optional<String> token, Optional<java.nio.file.Path> trustedCertificate) {
    if (interval.isZero()) {
      return new SelfTelemetry(OpenTelemetry.noop(), Optional.empty());
    }
    String base = endpoint.replaceAll("/v1/metrics/?$", "").replaceAll("/+$", "");
    Telemetry.Builder b = Telemetry.builder("collector");
    // the SDK's header syntax: key=value pairs, values percent-encoded
    token.ifPresent(tok -> b.override("otel.exporter.otlp.headers",
        "Authorization=" + java.net.URLEncoder.encode("Bearer " + tok, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")));
    trustedCertificate.ifPresent(cert -> b.override("otel.exporter.otlp.certificate", cert.toString()));
    Telemetry t = b
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
