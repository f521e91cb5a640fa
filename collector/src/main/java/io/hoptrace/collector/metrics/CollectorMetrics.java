package io.hoptrace.collector.metrics;

import io.hoptrace.collector.otlp.Signal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The collector's own instruments, on an OpenTelemetry {@link Meter} handed in (the SDK and its
 * exporter are wired elsewhere). Used by the metering decorators; the pipeline itself does not know
 * about metrics.
 */
public final class CollectorMetrics {
  static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private final Meter meter;
  private final Map<Signal, Attributes> bySignal = new EnumMap<>(Signal.class);
  private final LongCounter accepted;
  private final LongCounter refused;
  private final LongCounter split;
  private final LongCounter records;
  private final DoubleHistogram exportDuration;
  private final LongHistogram batchRows;
  private final DoubleHistogram insertDuration;
  private final LongCounter rows;
  private final LongCounter retries;
  private final LongCounter deadLetters;

  public CollectorMetrics(Meter meter) {
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
    batchRows = meter.histogramBuilder("hoptrace.collector.ingester.batch.rows").ofLongs().setUnit("{row}")
        .setDescription("rows per written batch").build();
    insertDuration = meter.histogramBuilder("hoptrace.collector.ingester.insert.duration").setUnit("ms")
        .setDescription("one attempt at writing a batch to ClickHouse (all its inserts)").build();
    rows = meter.counterBuilder("hoptrace.collector.ingester.rows").setUnit("{row}")
        .setDescription("rows written to ClickHouse").build();
    retries = meter.counterBuilder("hoptrace.collector.ingester.retries").setUnit("{attempt}")
        .setDescription("failed batch writes that will be retried").build();
    deadLetters = meter.counterBuilder("hoptrace.collector.ingester.dead_letters").setUnit("{record}")
        .setDescription("records sent to the dead-letter topic because they can never be decoded").build();
  }

  public Attributes attributes(Signal s) {
    return bySignal.get(s);
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

  public void batchWritten(Signal s, int batchRowCount, int deadLetterCount) {
    batchRows.record(batchRowCount, bySignal.get(s));
    rows.add(batchRowCount, bySignal.get(s));
    if (deadLetterCount > 0) {
      deadLetters.add(deadLetterCount, bySignal.get(s));
    }
  }

  public void insertAttempt(Signal s, double millis, boolean ok) {
    insertDuration.record(millis, Attributes.of(SIGNAL, s.label(), AttributeKey.stringKey("outcome"), ok ? "ok" : "error"));
  }

  public void retry(Signal s) {
    retries.add(1, bySignal.get(s));
  }

  /** An observed gauge, e.g. in-flight bytes or consumer lag. */
  public void gauge(String name, String unit, String description, Attributes attributes, LongSupplier value) {
    meter.gaugeBuilder(name).ofLongs().setUnit(unit).setDescription(description)
        .buildWithCallback(m -> m.record(value.getAsLong(), attributes));
  }
}
