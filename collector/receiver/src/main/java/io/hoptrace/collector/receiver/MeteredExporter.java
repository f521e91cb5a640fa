package io.hoptrace.collector.receiver;

import io.hoptrace.collector.otlp.Signal;
import io.vertx.core.Future;
import java.util.Locale;

/** Counts accepted items, refusals by reason, split requests, and the time until Kafka acknowledged. */
public final class MeteredExporter implements Exporter {
  private final Exporter delegate;
  private final ReceiverMetrics metrics;

  public MeteredExporter(Exporter delegate, ReceiverMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public Future<Result> export(Signal signal, byte[] body, BodyFormat format) {
    long start = System.nanoTime();
    return delegate.export(signal, body, format).andThen(ar -> {
      if (ar.succeeded()) {
        metrics.accepted(signal, ar.result().items(), ar.result().records(), (System.nanoTime() - start) / 1e6);
      } else {
        String reason = ar.cause() instanceof ExportException x ? x.kind().name().toLowerCase(Locale.ROOT) : "error";
        metrics.refused(signal, reason);
      }
    });
  }
}
