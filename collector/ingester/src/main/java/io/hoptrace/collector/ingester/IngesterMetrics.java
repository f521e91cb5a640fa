package io.hoptrace.collector.ingester;

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
 * The ingester's own instruments, on an OpenTelemetry {@link Meter} handed in (the SDK and its
 * exporter are wired by the collector process). Recorded by {@link MeteredBatchSink}, the retry
 * decorator and the lag gauge; the rest of the ingester does not know about metrics.
 */
public final class IngesterMetrics {
  private static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

  private final Meter meter;
  private final Map<Signal, Attributes> bySignal = new EnumMap<>(Signal.class);
  private final LongHistogram batchRows;
  private final DoubleHistogram insertDuration;
  private final LongCounter rows;
  private final LongCounter retries;
  private final LongCounter deadLetters;
  private final LongCounter duplicates;

  public IngesterMetrics(Meter meter) {
    this.meter = meter;
    for (Signal s : Signal.values()) {
      bySignal.put(s, Attributes.of(SIGNAL, s.label()));
    }
    batchRows = meter.histogramBuilder("hoptrace.collector.ingester.batch.rows").ofLongs().setUnit("{row}")
        .setDescription("rows per written batch").build();
    insertDuration = meter.histogramBuilder("hoptrace.collector.ingester.insert.duration").setUnit("ms")
        .setDescription("one attempt at writing a batch to ClickHouse (all its inserts)").build();
    rows = meter.counterBuilder("hoptrace.collector.ingester.rows").setUnit("{row}")
        .setDescription("rows written to ClickHouse").build();
    retries = meter.counterBuilder("hoptrace.collector.ingester.retries").setUnit("{attempt}")
        .setDescription("failed batch writes that will be retried").build();
    deadLetters = meter.counterBuilder("hoptrace.collector.ingester.dead_letters").setUnit("{record}")
        .setDescription("records sent to the dead-letter topic: they cannot be decoded, or ClickHouse refused rows of them").build();
    duplicates = meter.counterBuilder("hoptrace.collector.ingester.duplicates.dropped").setUnit("{row}")
        .setDescription("rows not written because the same row is in their partition's de-duplication window (a client's retry)").build();
  }

  public void duplicatesDropped(Signal s, long count) {
    duplicates.add(count, bySignal.get(s));
  }

  public void batchWritten(Signal s, int batchRowCount, int deadLetterCount) {
    batchRows.record(batchRowCount, bySignal.get(s));
    rows.add(batchRowCount, bySignal.get(s));
    if (deadLetterCount > 0) {
      deadLetters.add(deadLetterCount, bySignal.get(s));
    }
  }

  public void insertAttempt(Signal s, double millis, boolean ok) {
    insertDuration.record(millis, Attributes.of(SIGNAL, s.label(), OUTCOME, ok ? "ok" : "error"));
  }

  public void retry(Signal s) {
    retries.add(1, bySignal.get(s));
  }

  /** 1 while a partition of the signal is stalled on a systemic ClickHouse error, else 0. */
  void stalled(Signal s, LongSupplier value) {
    meter.gaugeBuilder("hoptrace.collector.ingester.stalled").ofLongs().setUnit("1")
        .setDescription("1 while ingestion of the signal is stalled on a systemic ClickHouse error (missing table or column, no permission)")
        .buildWithCallback(m -> m.record(value.getAsLong(), bySignal.get(s)));
  }

  /** Records of a signal in Kafka not yet consumed by this ingester. */
  void lag(Signal s, LongSupplier value) {
    meter.gaugeBuilder("hoptrace.collector.ingester.lag").ofLongs().setUnit("{record}")
        .setDescription("records in Kafka not yet consumed by this ingester")
        .buildWithCallback(m -> m.record(value.getAsLong(), bySignal.get(s)));
  }
}
