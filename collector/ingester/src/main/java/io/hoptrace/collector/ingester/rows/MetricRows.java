package io.hoptrace.collector.ingester.rows;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;

/**
 * {@code ExportMetricsServiceRequest} → rows of the five {@code otel_metrics_*} tables (gauge, sum,
 * histogram, exponential histogram, summary), exemplars included, like the clickhouseexporter.
 */
public final class MetricRows implements RecordConverter {

  /** What every metric row starts with; encoded once per scope and metric. */
  private record Head(byte[] resourceAttributes, ScopeMetrics scope, ResourceMetrics resource, String serviceName, Metric metric) {
    void write(RowBinary rb) {
      InstrumentationScope s = scope.getScope();
      rb.raw(resourceAttributes);
      rb.string(resource.getSchemaUrlBytes());
      rb.string(s.getNameBytes());
      rb.string(s.getVersionBytes());
      AttributeStrings.writeMap(rb, s.getAttributesList());
      rb.uint32(s.getDroppedAttributesCount());
      rb.string(scope.getSchemaUrlBytes());
      rb.string(serviceName);
      rb.string(metric.getNameBytes());
      rb.string(metric.getDescriptionBytes());
      rb.string(metric.getUnitBytes());
    }
  }

  @Override
  public int convert(byte[] otlp, int offset, int length, RowBatch out) throws InvalidProtocolBufferException {
    ExportMetricsServiceRequest req = ExportMetricsServiceRequest.parser().parseFrom(otlp, offset, length);
    int n = 0;
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      byte[] resourceAttributes = AttributeStrings.encodeMap(rm.getResource().getAttributesList());
      String serviceName = AttributeStrings.serviceName(rm.getResource().getAttributesList());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          Head head = new Head(resourceAttributes, sm, rm, serviceName, m);
          switch (m.getDataCase()) {
            case GAUGE -> {
              for (NumberDataPoint dp : m.getGauge().getDataPointsList()) {
                RowBinary rb = number(out, Table.GAUGE, head, dp);
                rb.endRow();
                n++;
              }
            }
            case SUM -> {
              for (NumberDataPoint dp : m.getSum().getDataPointsList()) {
                RowBinary rb = number(out, Table.SUM, head, dp);
                rb.int32(m.getSum().getAggregationTemporalityValue());
                rb.bool(m.getSum().getIsMonotonic());
                rb.endRow();
                n++;
              }
            }
            case HISTOGRAM -> {
              for (HistogramDataPoint dp : m.getHistogram().getDataPointsList()) {
                RowBinary rb = out.rows(Table.HISTOGRAM, dp.getTimeUnixNano());
                head.write(rb);
                AttributeStrings.writeMap(rb, dp.getAttributesList());
                rb.dateTimeFromNanos(dp.getStartTimeUnixNano());
                rb.dateTimeFromNanos(dp.getTimeUnixNano());
                rb.int64(dp.getCount());
                rb.float64(dp.getSum());
                uint64s(rb, dp.getBucketCountsList());
                float64s(rb, dp.getExplicitBoundsList());
                exemplars(rb, dp.getExemplarsList());
                rb.uint32(dp.getFlags());
                rb.float64(dp.getMin());
                rb.float64(dp.getMax());
                rb.int32(m.getHistogram().getAggregationTemporalityValue());
                rb.endRow();
                n++;
              }
            }
            case EXPONENTIAL_HISTOGRAM -> {
              for (ExponentialHistogramDataPoint dp : m.getExponentialHistogram().getDataPointsList()) {
                RowBinary rb = out.rows(Table.EXP_HISTOGRAM, dp.getTimeUnixNano());
                head.write(rb);
                AttributeStrings.writeMap(rb, dp.getAttributesList());
                rb.dateTimeFromNanos(dp.getStartTimeUnixNano());
                rb.dateTimeFromNanos(dp.getTimeUnixNano());
                rb.int64(dp.getCount());
                rb.float64(dp.getSum());
                rb.int32(dp.getScale());
                rb.int64(dp.getZeroCount());
                rb.int32(dp.getPositive().getOffset());
                uint64s(rb, dp.getPositive().getBucketCountsList());
                rb.int32(dp.getNegative().getOffset());
                uint64s(rb, dp.getNegative().getBucketCountsList());
                exemplars(rb, dp.getExemplarsList());
                rb.uint32(dp.getFlags());
                rb.float64(dp.getMin());
                rb.float64(dp.getMax());
                rb.int32(m.getExponentialHistogram().getAggregationTemporalityValue());
                rb.endRow();
                n++;
              }
            }
            case SUMMARY -> {
              for (SummaryDataPoint dp : m.getSummary().getDataPointsList()) {
                RowBinary rb = out.rows(Table.SUMMARY, dp.getTimeUnixNano());
                head.write(rb);
                AttributeStrings.writeMap(rb, dp.getAttributesList());
                rb.dateTimeFromNanos(dp.getStartTimeUnixNano());
                rb.dateTimeFromNanos(dp.getTimeUnixNano());
                rb.int64(dp.getCount());
                rb.float64(dp.getSum());
                List<SummaryDataPoint.ValueAtQuantile> q = dp.getQuantileValuesList();
                rb.varint(q.size());
                for (SummaryDataPoint.ValueAtQuantile v : q) {
                  rb.float64(v.getQuantile());
                }
                rb.varint(q.size());
                for (SummaryDataPoint.ValueAtQuantile v : q) {
                  rb.float64(v.getValue());
                }
                rb.uint32(dp.getFlags());
                rb.endRow();
                n++;
              }
            }
            default -> {
              // DATA_NOT_SET: a metric without data points has no rows (the exporter skips it too)
            }
          }
        }
      }
    }
    return n;
  }

  private static RowBinary number(RowBatch out, Table table, Head head, NumberDataPoint dp) {
    RowBinary rb = out.rows(table, dp.getTimeUnixNano());
    head.write(rb);
    AttributeStrings.writeMap(rb, dp.getAttributesList());
    rb.dateTimeFromNanos(dp.getStartTimeUnixNano());
    rb.dateTimeFromNanos(dp.getTimeUnixNano());
    rb.float64(dp.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? (double) dp.getAsInt() : dp.getAsDouble());
    rb.uint32(dp.getFlags());
    exemplars(rb, dp.getExemplarsList());
    return rb;
  }

  /** The five parallel arrays of the Exemplars Nested column. */
  private static void exemplars(RowBinary rb, List<Exemplar> exemplars) {
    int n = exemplars.size();
    rb.varint(n);
    for (Exemplar e : exemplars) {
      AttributeStrings.writeMap(rb, e.getFilteredAttributesList());
    }
    rb.varint(n);
    for (Exemplar e : exemplars) {
      rb.dateTimeFromNanos(e.getTimeUnixNano());
    }
    rb.varint(n);
    for (Exemplar e : exemplars) {
      rb.float64(e.getValueCase() == Exemplar.ValueCase.AS_INT ? (double) e.getAsInt() : e.getAsDouble());
    }
    rb.varint(n);
    for (Exemplar e : exemplars) {
      rb.hexId(e.getSpanId());
    }
    rb.varint(n);
    for (Exemplar e : exemplars) {
      rb.hexId(e.getTraceId());
    }
  }

  private static void uint64s(RowBinary rb, List<Long> values) {
    rb.varint(values.size());
    for (int i = 0; i < values.size(); i++) {
      rb.int64(values.get(i));
    }
  }

  private static void float64s(RowBinary rb, List<Double> values) {
    rb.varint(values.size());
    for (int i = 0; i < values.size(); i++) {
      rb.float64(values.get(i));
    }
  }
}
