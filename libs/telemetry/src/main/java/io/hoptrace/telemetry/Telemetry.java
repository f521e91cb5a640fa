package io.hoptrace.telemetry;

import io.hoptrace.config.Env;
import io.hoptrace.telemetry.http.UntracedPathsSampler;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.opentelemetry.instrumentation.runtimetelemetry.RuntimeTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The one OpenTelemetry bootstrap of a hoptrace JVM. The SDK is configured by the standard
 * {@code OTEL_*} variables (autoconfigure), with the project's defaults underneath: OTLP over
 * http/protobuf to {@code http://127.0.0.1:4318} (with {@code OTEL_EXPORTER_OTLP_PROTOCOL=grpc}:
 * {@code http://127.0.0.1:4317}), W3C tracecontext + baggage. Exporters are batched
 * and bounded; what they drop is counted by the SDK's own metrics and reported in the log by
 * {@link ExportDropWatch}. Logback records go out as OTLP logs; JVM runtime metrics are on.
 *
 * <pre>{@code
 * Telemetry telemetry = Telemetry.builder("order").build();
 * Vertx vertx = telemetry.vertxBuilder().build();
 * }</pre>
 */
public final class Telemetry implements AutoCloseable {
  /** Instrumentation scope of the project's own spans and metrics. */
  public static final String SCOPE = "io.hoptrace";
  /** The SDK's per-span self-metrics ({@code otel.sdk.span.started}, {@code otel.sdk.span.live}), not exported. */
  static final String PER_SPAN_SDK_METRICS = "otel.sdk.span.*";

  private final OpenTelemetrySdk sdk;
  private final RuntimeTelemetry runtime;
  private final ExportDropWatch dropWatch;

  private Telemetry(OpenTelemetrySdk sdk, RuntimeTelemetry runtime, ExportDropWatch dropWatch) {
    this.sdk = sdk;
    this.runtime = runtime;
    this.dropWatch = dropWatch;
  }

  /** Spans, metric points and log records dropped by a full queue or not delivered to the collector so far. */
  public long telemetryLost() {
    return dropWatch.lost();
  }

  /**
   * @param defaultServiceName {@code service.name} unless {@code OTEL_SERVICE_NAME} (or
   *     {@code service.name} in {@code OTEL_RESOURCE_ATTRIBUTES}) says otherwise
   */
  public static Builder builder(String defaultServiceName) {
    return new Builder(defaultServiceName);
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  public Tracer tracer() {
    return sdk.getTracer(SCOPE);
  }

  public Meter meter() {
    return sdk.getMeter(SCOPE);
  }

  /** Vert.x with the OpenTelemetry tracer: HTTP server/client spans, context carried across callbacks. */
  public VertxBuilder vertxBuilder() {
    // the SDK is passed explicitly: GlobalOpenTelemetry.get() would silently install a no-op
    return Vertx.builder().withTracer(new OpenTelemetryTracingFactory(sdk));
  }

  /** Exports what is queued (bounded by {@code timeout}), then stops the exporters. */
  public void close(Duration timeout) {
    if (runtime != null) {
      runtime.close();
    }
    sdk.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /** Settings on top of the {@code OTEL_*} variables. */
  public static final class Builder {
    private final String defaultServiceName;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final List<SpanProcessor> extraSpanProcessors = new ArrayList<>();
    private final List<MetricReader> extraMetricReaders = new ArrayList<>();
    private boolean installLogback = true;
    private boolean runtimeMetrics = true;
    private Duration dropReportInterval = Duration.ofSeconds(30);

    private Builder(String defaultServiceName) {
      this.defaultServiceName = Objects.requireNonNull(defaultServiceName);
    }

    /** Forces an autoconfigure property (e.g. {@code otel.traces.exporter=none}); beats the environment. */
    public Builder override(String property, String value) {
      overrides.put(property, value);
      return this;
    }

    /** An extra span processor, e.g. an in-memory exporter in tests. */
    public Builder addSpanProcessor(SpanProcessor processor) {
      extraSpanProcessors.add(processor);
      return this;
    }

    /** An extra metric reader, e.g. an in-memory reader in tests. */
    public Builder addMetricReader(MetricReader reader) {
      extraMetricReaders.add(reader);
      return this;
    }

    /** Whether Logback records are exported as OTLP logs (on by default). */
    public Builder installLogback(boolean install) {
      this.installLogback = install;
      return this;
    }

    public Builder runtimeMetrics(boolean on) {
      this.runtimeMetrics = on;
      return this;
    }

    public Builder dropReportInterval(Duration interval) {
      this.dropReportInterval = interval;
      return this;
    }

    public Telemetry build() {
      bridgeJavaUtilLogging();
      // vertx-opentelemetry makes Vert.x the context storage of OpenTelemetry, so the first
      // Context.current() initialises Vert.x's internals. On an SDK thread (metric reader, batch
      // processor) the context class loader is null and that initialisation fails for the whole JVM
      // (NoClassDefFoundError: VertxImpl). Do it here, on the caller's thread, first.
      Vertx.currentContext();
      Map<String, String> defaults = Map.of(
          "otel.service.name", defaultServiceName,
          "otel.exporter.otlp.protocol", "http/protobuf",
          "otel.propagators", "tracecontext,baggage",
          "otel.metric.export.interval", "15000",
          // spans leave after 200 ms instead of the SDK's 5 s, so a trace is queryable within about a
          // second (docs/benchmarks.md: trace visibility latency); under load batches fill to 512 first
          "otel.bsp.schedule.delay", "200",
          // the SDK counts what its processors and exporters drop (otel.sdk.processor.*.processed,
          // otel.sdk.exporter.*.exported with error.type); ExportDropWatch logs it
          "otel.experimental.sdk.telemetry.version", "latest");
      ExportDropWatch dropWatch = new ExportDropWatch();
      OpenTelemetrySdk sdk;
      try {
        sdk = AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .addPropertiesCustomizer(config -> {
              Map<String, String> set = new LinkedHashMap<>(overrides);
              if (config.getString("otel.exporter.otlp.endpoint") == null && !overrides.containsKey("otel.exporter.otlp.endpoint")) {
                String protocol = overrides.getOrDefault("otel.exporter.otlp.protocol", config.getString("otel.exporter.otlp.protocol"));
                set.put("otel.exporter.otlp.endpoint", OtlpEndpoint.defaultFor(protocol));
              }
              return set;
            })
            .addSamplerCustomizer((sampler, config) ->
                UntracedPathsSampler.wrap(sampler, config.getList(UntracedPathsSampler.PROPERTY, UntracedPathsSampler.DEFAULT_PATHS)))
            .addTracerProviderCustomizer((b, config) -> {
              extraSpanProcessors.forEach(b::addSpanProcessor);
              return b;
            })
            .addMeterProviderCustomizer((b, config) -> {
              // the SDK's counts of started and live spans cost two metric updates per span on the
              // request's thread and say nothing the spans themselves do not; its counts of dropped
              // and undelivered items (per batch, off the request) stay: ExportDropWatch reads them
              b.registerView(InstrumentSelector.builder().setName(PER_SPAN_SDK_METRICS).build(),
                  View.builder().setAggregation(Aggregation.drop()).build());
              extraMetricReaders.forEach(b::registerMetricReader);
              return b.registerMetricReader(PeriodicMetricReader.builder(dropWatch).setInterval(dropReportInterval).build());
            })
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
      } catch (ConfigurationException e) {
        // autoconfigure wraps what a customizer throws in "Unexpected configuration error": name the variable
        if (e.getCause() instanceof Env.ConfigException c) {
          throw c;
        }
        throw new Env.ConfigException("OpenTelemetry configuration: " + e.getMessage()
            + (e.getCause() == null ? "" : " (caused by " + e.getCause() + ")"));
      }
      if (installLogback) {
        OpenTelemetryAppender.install(sdk);
      }
      RuntimeTelemetry runtime = runtimeMetrics ? RuntimeTelemetry.create(sdk) : null;
      return new Telemetry(sdk, runtime, dropWatch);
    }

    /** The OTLP exporters report failures through java.util.logging: send them to Logback. */
    private static void bridgeJavaUtilLogging() {
      if (!SLF4JBridgeHandler.isInstalled()) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
      }
    }
  }
}
