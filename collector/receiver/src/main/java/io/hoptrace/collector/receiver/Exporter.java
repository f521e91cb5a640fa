package io.hoptrace.collector.receiver;

import io.hoptrace.collector.otlp.Signal;
import io.vertx.core.Future;

/**
 * Accepts one OTLP export request: succeeds only once the data is durably in Kafka, fails with an
 * {@link ExportException} saying why not. Protocol-independent: the HTTP and gRPC front doors call it.
 */
public interface Exporter {
  /** What an accepted request became. */
  record Result(int items, int records) {}

  Future<Result> export(Signal signal, byte[] body, BodyFormat format);
}
