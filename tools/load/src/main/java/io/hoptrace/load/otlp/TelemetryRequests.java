package io.hoptrace.load.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;

/** Small, countable log and metric export requests of one service (the span ones come from {@link SpanFactory}). */
public final class TelemetryRequests {
  private TelemetryRequests() {}

  static Resource resource(String serviceName) {
    return Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
        .setValue(AnyValue.newBuilder().setStringValue(serviceName))).build();
  }

  /** {@code count} log records, numbered from {@code first}. */
  public static ExportLogsServiceRequest logs(String serviceName, int first, int count) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = first; i < first + count; i++) {
      scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(now + i).setObservedTimeUnixNano(now + i)
          .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).setSeverityText("INFO")
          .setBody(AnyValue.newBuilder().setStringValue("fault suite log record " + i)));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource(serviceName)).addScopeLogs(scope)).build();
  }

  /** One gauge with {@code count} data points, numbered from {@code first}. */
  public static ExportMetricsServiceRequest gauge(String serviceName, int first, int count) {
    Gauge.Builder gauge = Gauge.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = first; i < first + count; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(now + i).setAsInt(i));
    }
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(serviceName))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("faults.poison.gauge").setGauge(gauge)))).build();
  }
}
