package io.hoptrace.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes telemetry loss visible in the console: reads the SDK's own counters of items its batch
 * processors dropped (queue full) and its exporters failed to deliver (collector missing, slow or
 * refusing), and logs a warning when they grew. The same counters are exported as metrics
 * ({@code otel.sdk.processor.*.processed}, {@code otel.sdk.exporter.*.exported} with {@code error.type}).
 */
final class ExportDropWatch implements MetricExporter {
  private static final Logger LOG = LoggerFactory.getLogger(ExportDropWatch.class);
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Map<String, Long> lastSeen = new HashMap<>();
  private final java.util.concurrent.atomic.AtomicLong lost = new java.util.concurrent.atomic.AtomicLong();

  /** Items dropped or not delivered since start, as last read from the SDK's counters. */
  long lost() {
    return lost.get();
  }

  @Override
  public synchronized CompletableResultCode export(Collection<MetricData> metrics) {
    for (MetricData m : metrics) {
      if (m.getType() != MetricDataType.LONG_SUM || !isLossCounter(m.getName())) {
        continue;
      }
      for (LongPointData p : m.getLongSumData().getPoints()) {
        String error = p.getAttributes().get(ERROR_TYPE);
        if (error == null) {
          continue;
        }
        String key = m.getName() + " " + p.getAttributes();
        long before = lastSeen.getOrDefault(key, 0L);
        if (p.getValue() > before) {
          lost.addAndGet(p.getValue() - before);
          LOG.warn("telemetry lost: {} more items counted by {} with error.type={} ({} in total); "
                  + "check that the collector at OTEL_EXPORTER_OTLP_ENDPOINT is up and keeping pace",
              p.getValue() - before, m.getName(), error, p.getValue());
        }
        lastSeen.put(key, p.getValue());
      }
    }
    return CompletableResultCode.ofSuccess();
  }

  static boolean isLossCounter(String name) {
    return name.startsWith("otel.sdk.processor.") && name.endsWith(".processed")
        || name.startsWith("otel.sdk.exporter.") && name.endsWith(".exported");
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
