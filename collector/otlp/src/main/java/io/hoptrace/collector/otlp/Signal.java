package io.hoptrace.collector.otlp;

import com.google.protobuf.Message;
import io.hoptrace.collector.otlp.wire.Envelope;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.Locale;
import java.util.function.Supplier;

/** The three OTLP signals: their HTTP path, gRPC service and request/response messages. */
public enum Signal {
  TRACES("/v1/traces", "opentelemetry.proto.collector.trace.v1.TraceService", "spans",
      ExportTraceServiceRequest::newBuilder, ExportTraceServiceResponse.getDefaultInstance(), Envelope.TRACES),
  METRICS("/v1/metrics", "opentelemetry.proto.collector.metrics.v1.MetricsService", "data points",
      ExportMetricsServiceRequest::newBuilder, ExportMetricsServiceResponse.getDefaultInstance(), Envelope.METRICS),
  LOGS("/v1/logs", "opentelemetry.proto.collector.logs.v1.LogsService", "log records",
      ExportLogsServiceRequest::newBuilder, ExportLogsServiceResponse.getDefaultInstance(), Envelope.LOGS);

  private final String httpPath;
  private final String grpcService;
  private final String items;
  private final Supplier<Message.Builder> requestBuilder;
  private final Message emptyResponse;
  private final Message emptyRequest;
  private final Envelope envelope;

  Signal(String httpPath, String grpcService, String items, Supplier<Message.Builder> requestBuilder,
      Message emptyResponse, Envelope envelope) {
    this.httpPath = httpPath;
    this.grpcService = grpcService;
    this.items = items;
    this.requestBuilder = requestBuilder;
    this.emptyRequest = requestBuilder.get().getDefaultInstanceForType();
    this.emptyResponse = emptyResponse;
    this.envelope = envelope;
  }

  /** How the request nests its items on the wire (for reading it without the generated classes). */
  public Envelope envelope() {
    return envelope;
  }

  public String httpPath() {
    return httpPath;
  }

  public String grpcService() {
    return grpcService;
  }

  /** What the signal's items are called in messages: spans, data points, log records. */
  public String items() {
    return items;
  }

  /** The request message's parser (faster than a builder: no nested builders). */
  public com.google.protobuf.Parser<? extends Message> parser() {
    return emptyRequest.getParserForType();
  }

  public Message.Builder newRequestBuilder() {
    return requestBuilder.get();
  }

  /** The (empty, full-success) Export response. */
  public Message emptyResponse() {
    return emptyResponse;
  }

  /**
   * Parses {@code traces,metrics} (any non-empty subset, any order); names the bad entry and the valid
   * ones otherwise. {@code source} is what the user set ({@code --signals}, {@code COLLECTOR_SIGNALS}).
   */
  public static java.util.Set<Signal> parse(String list, String source) {
    java.util.EnumSet<Signal> signals = java.util.EnumSet.noneOf(Signal.class);
    for (String part : list.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      try {
        signals.add(Signal.valueOf(p.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + "=" + list + " is invalid: unknown signal '" + p + "' (signals: traces, metrics, logs)");
      }
    }
    if (signals.isEmpty()) {
      throw new IllegalArgumentException(source + " is empty: name at least one signal (traces, metrics, logs)");
    }
    return java.util.Collections.unmodifiableSet(signals);
  }

  /** {@code traces, metrics}: how messages name a set of signals. */
  public static String labels(java.util.Collection<Signal> signals) {
    return String.join(", ", signals.stream().sorted().map(Signal::label).toList());
  }

  /** Lower-case name used in metric attributes and env variables: traces, metrics, logs. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
