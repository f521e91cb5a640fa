package io.hoptrace.collector.otlp.wire;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * How a signal's export request nests its items, the one shape all three share: request {resource
 * level*}; resource level {resource, scope level*, schema_url}; scope level {scope, item*, schema_url}.
 * The field numbers of each.
 */
public record Envelope(int resourceLevels, int resource, int scopeLevels, int resourceSchemaUrl, int scope, int items,
    int scopeSchemaUrl) {

  public static final Envelope TRACES = new Envelope(ExportTraceServiceRequest.RESOURCE_SPANS_FIELD_NUMBER,
      ResourceSpans.RESOURCE_FIELD_NUMBER, ResourceSpans.SCOPE_SPANS_FIELD_NUMBER, ResourceSpans.SCHEMA_URL_FIELD_NUMBER,
      ScopeSpans.SCOPE_FIELD_NUMBER, ScopeSpans.SPANS_FIELD_NUMBER, ScopeSpans.SCHEMA_URL_FIELD_NUMBER);

  public static final Envelope METRICS = new Envelope(ExportMetricsServiceRequest.RESOURCE_METRICS_FIELD_NUMBER,
      ResourceMetrics.RESOURCE_FIELD_NUMBER, ResourceMetrics.SCOPE_METRICS_FIELD_NUMBER, ResourceMetrics.SCHEMA_URL_FIELD_NUMBER,
      ScopeMetrics.SCOPE_FIELD_NUMBER, ScopeMetrics.METRICS_FIELD_NUMBER, ScopeMetrics.SCHEMA_URL_FIELD_NUMBER);

  public static final Envelope LOGS = new Envelope(ExportLogsServiceRequest.RESOURCE_LOGS_FIELD_NUMBER,
      ResourceLogs.RESOURCE_FIELD_NUMBER, ResourceLogs.SCOPE_LOGS_FIELD_NUMBER, ResourceLogs.SCHEMA_URL_FIELD_NUMBER,
      ScopeLogs.SCOPE_FIELD_NUMBER, ScopeLogs.LOG_RECORDS_FIELD_NUMBER, ScopeLogs.SCHEMA_URL_FIELD_NUMBER);
}
