package io.hoptrace.collector.metrics;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.Optional;

/**
 * The collector's own OpenTelemetry SDK: metrics only, exported as OTLP/HTTP to a collector receiver
 * (by default its own), so they land in ClickHouse under {@code service.name=collector}. No tracer
 * provider: the export of our own telemetry is never traced, so it cannot feed back on itself.
 * To be replaced by the shared telemetry module once it exists on main.
 *
 * <p>{@code COLLECTOR_SELF_METRICS_INTERVAL} (15s; 0 turns self-metrics off),
 * {@code COLLECTOR_SELF_METRICS_ENDPOINT} (http://COLLECTOR_HOST:COLLECTOR_OTLP_HTTP_PORT).
 */
public final class SelfTelemetry implements AutoCloseable {
  private final OpenTelemetry openTelemetry;
  private final Optional<OpenTelemetrySdk> sdk;

  private SelfTelemetry(OpenTelemetry openTelemetry, Optional<OpenTelemetrySdk> sdk) {
    this.openTelemetry = openTelemetry;
    this.sdk = sdk;
  }

  public static SelfTelemetry start(Duration interval, String endpoint) {
    if (interval.isZero()) {
      return new SelfTelemetry(OpenTelemetry.noop(), Optional.empty());
    }
    String url = endpoint.endsWith("/v1/metrics") ? endpoint : endpoint.replaceAll("/+$", "") + "/v1/metrics";
    OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder().setEndpoint(url).setTimeout(Duration.ofSeconds(10)).build();
    SdkMeterProvider meters = SdkMeterProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.builder()
            .put("service.name", "collector")
            .put("service.namespace", "hoptrace")
            .build())))
        .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(interval).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setMeterProvider(meters).build();
    return new SelfTelemetry(sdk, Optional.of(sdk));
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  @Override
  public void close() {
    sdk.ifPresent(s -> s.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS));
  }
}
