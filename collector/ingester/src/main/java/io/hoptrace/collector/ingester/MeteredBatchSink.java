package io.hoptrace.collector.ingester;

import io.hoptrace.collector.otlp.Signal;
import java.util.concurrent.CompletableFuture;

/** Records every write attempt (duration, outcome) and every written batch (rows, dead letters). */
public final class MeteredBatchSink implements BatchSink {
  private final BatchSink delegate;
  private final IngesterMetrics metrics;
  private final Signal signal;

  public MeteredBatchSink(BatchSink delegate, IngesterMetrics metrics, Signal signal) {
    this.delegate = delegate;
    this.metrics = metrics;
    this.signal = signal;
  }

  @Override
  public CompletableFuture<Result> write(Batch batch) {
    long start = System.nanoTime();
    return delegate.write(batch).whenComplete((r, e) -> {
      metrics.insertAttempt(signal, (System.nanoTime() - start) / 1e6, e == null);
      if (e == null) {
        metrics.batchWritten(signal, r.rows(), r.deadLetters());
      }
    });
  }
}
