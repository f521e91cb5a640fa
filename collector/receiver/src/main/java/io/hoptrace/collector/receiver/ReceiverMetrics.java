package io.hoptrace.collector.receiver;

import io.hoptrace.collector.otlp.Signal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The receiver's own instruments, on an OpenTelemetry {@link Meter} handed in (the SDK and its
 * exporter are wired by the collector process). Recorded by {@link MeteredExporter} and the in-flight
 * gauge; the rest of the receiver does not know about metrics.
 */
public final class ReceiverMetrics {
  private static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final Meter meter;
  private final Map<Signal, Attributes> bySignal = new EnumMap<>(Signal.class);
  private final LongCounter accepted;
  private final LongCounter refused;
  private final LongCounter split;
  private final LongCounter records;
  private final DoubleHistogram exportDuration;

  public ReceiverMetrics(Meter meter) {
    this.meter = meter;
    for (Signal s : Signal.values()) {
      bySignal.put(s, Attributes.of(SIGNAL, s.label()));
    }
    accepted = meter.counterBuilder("hoptrace.collector.receiver.accepted").setUnit("{item}")
        .setDescription("spans, data points and log records acknowledged to clients (they are in Kafka)").build();
    refused = meter.counterBuilder("hoptrace.collector.receiver.refused").setUnit("{request}")
        .setDescription("export requests refused, by reason (invalid, too_large, overloaded, unavailable)").build();
    split = meter.counterBuilder("hoptrace.collector.receiver.split").setUnit("{request}")
        .setDescription("requests written as more than one Kafka record (per trace id or over the record size limit)").build();
    records = meter.counterBuilder("hoptrace.collector.receiver.records").setUnit("{record}")
        .setDescription("Kafka records produced").build();
    exportDuration = meter.histogramBuilder("hoptrace.collector.receiver.kafka.duration").setUnit("ms")
        .setDescription("from a decoded request to Kafka's acknowledgement of all its records (produce latency)").build();
  }

  public void accepted(Signal s, int items, int kafkaRecords, double millis) {
    accepted.add(items, bySignal.get(s));
    records.add(kafkaRecords, bySignal.get(s));
    if (kafkaRecords > 1) {
      split.add(1, bySignal.get(s));
    }
    exportDuration.record(millis, bySignal.get(s));
  }

  public void refused(Signal s, String reason) {
    refused.add(1, Attributes.of(SIGNAL, s.label(), REASON, reason));
  }

  /** The bytes held until Kafka acknowledged them. */
  void inFlightBytes(LongSupplier value) {
    meter.gaugeBuilder("hoptrace.collector.receiver.inflight.bytes").ofLongs().setUnit("By")
        .setDescription("request bytes accepted but not yet acknowledged by Kafka")
        .buildWithCallback(m -> m.record(value.getAsLong(), Attributes.empty()));
  }
}
