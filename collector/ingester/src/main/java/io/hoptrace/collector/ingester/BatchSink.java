package io.hoptrace.collector.ingester;

import java.util.concurrent.CompletableFuture;

/**
 * Writes a batch to its destination; completes only once every row is stored (or dead-lettered).
 * The processor of the pipeline: retry and metrics are decorators around it.
 */
public interface BatchSink {
  /** What a written batch amounted to. */
  record Result(int rows, int inserts, int deadLetters) {}

  CompletableFuture<Result> write(Batch batch);
}
