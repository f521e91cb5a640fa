package io.hoptrace.collector.ingester.rows;

import java.util.ArrayList;
import java.util.List;

/**
 * The contract tables (clickhouse/migrations) as the ingester writes them: insert columns in the
 * order the converters write RowBinary, the column that decides the table partition ({@code toDate}),
 * and the row identity used to skip rows that are already stored when a replay re-ingests them.
 */
public enum Table {
  TRACES("otel_traces", "Timestamp",
      "(TraceId, SpanId)",
      List.of("Timestamp", "TraceId", "SpanId", "ParentSpanId", "TraceState", "SpanName", "SpanKind", "ServiceName",
          "ResourceAttributes", "ScopeName", "ScopeVersion", "SpanAttributes", "Duration", "StatusCode", "StatusMessage",
          "Events.Timestamp", "Events.Name", "Events.Attributes",
          "Links.TraceId", "Links.SpanId", "Links.TraceState", "Links.Attributes")),
  LOGS("otel_logs", "Timestamp",
      "(Timestamp, ServiceName, TraceId, SpanId, SeverityNumber, cityHash64(Body, LogAttributes, ResourceAttributes, ScopeName, EventName))",
      List.of("Timestamp", "TraceId", "SpanId", "TraceFlags", "SeverityText", "SeverityNumber", "ServiceName", "Body",
          "ResourceSchemaUrl", "ResourceAttributes", "ScopeSchemaUrl", "ScopeName", "ScopeVersion", "ScopeAttributes",
          "LogAttributes", "EventName")),
  GAUGE("otel_metrics_gauge", "TimeUnix", metricIdentity("Value"),
      metricColumns(List.of("Value", "Flags", "Exemplars.FilteredAttributes", "Exemplars.TimeUnix", "Exemplars.Value",
          "Exemplars.SpanId", "Exemplars.TraceId"))),
  SUM("otel_metrics_sum", "TimeUnix", metricIdentity("Value"),
      metricColumns(List.of("Value", "Flags", "Exemplars.FilteredAttributes", "Exemplars.TimeUnix", "Exemplars.Value",
          "Exemplars.SpanId", "Exemplars.TraceId", "AggregationTemporality", "IsMonotonic"))),
  HISTOGRAM("otel_metrics_histogram", "TimeUnix", metricIdentity("Count, Sum, BucketCounts"),
      metricColumns(List.of("Count", "Sum", "BucketCounts", "ExplicitBounds", "Exemplars.FilteredAttributes",
          "Exemplars.TimeUnix", "Exemplars.Value", "Exemplars.SpanId", "Exemplars.TraceId", "Flags", "Min", "Max",
          "AggregationTemporality"))),
  EXP_HISTOGRAM("otel_metrics_exponential_histogram", "TimeUnix", metricIdentity("Count, Sum, Scale, PositiveBucketCounts, NegativeBucketCounts"),
      metricColumns(List.of("Count", "Sum", "Scale", "ZeroCount", "PositiveOffset", "PositiveBucketCounts",
          "NegativeOffset", "NegativeBucketCounts", "Exemplars.FilteredAttributes", "Exemplars.TimeUnix",
          "Exemplars.Value", "Exemplars.SpanId", "Exemplars.TraceId", "Flags", "Min", "Max", "AggregationTemporality"))),
  SUMMARY("otel_metrics_summary", "TimeUnix", metricIdentity("Count, Sum, ValueAtQuantiles.Value"),
      metricColumns(List.of("Count", "Sum", "ValueAtQuantiles.Quantile", "ValueAtQuantiles.Value", "Flags")));

  private final String tableName;
  private final String partitionTimeColumn;
  private final String identity;
  private final List<String> columns;

  Table(String tableName, String partitionTimeColumn, String identity, List<String> columns) {
    this.tableName = tableName;
    this.partitionTimeColumn = partitionTimeColumn;
    this.identity = identity;
    this.columns = List.copyOf(columns);
  }

  public String tableName() {
    return tableName;
  }

  /** The time column the table is partitioned by ({@code PARTITION BY toDate(column)}). */
  public String partitionTimeColumn() {
    return partitionTimeColumn;
  }

  /** A tuple expression that identifies a row's content, for "insert unless already stored". */
  public String identity() {
    return identity;
  }

  public List<String> columns() {
    return columns;
  }

  private static String metricIdentity(String values) {
    return "(ServiceName, MetricName, TimeUnix, StartTimeUnix, cityHash64(Attributes, ResourceAttributes, ScopeName), " + values + ")";
  }

  private static List<String> metricColumns(List<String> specific) {
    List<String> c = new ArrayList<>(List.of("ResourceAttributes", "ResourceSchemaUrl", "ScopeName", "ScopeVersion",
        "ScopeAttributes", "ScopeDroppedAttrCount", "ScopeSchemaUrl", "ServiceName", "MetricName", "MetricDescription",
        "MetricUnit", "Attributes", "StartTimeUnix", "TimeUnix"));
    c.addAll(specific);
    return c;
  }
}
