package io.hoptrace.collector.ingester;

/**
 * When a partition's pending records make a batch: {@code rows} rows or {@code bytes} bytes of
 * record values (whichever comes first; one record larger than either still makes a batch of its
 * own), or the oldest waited {@code delayNanos}. The same sizes bound what a partition holds: one
 * batch in flight and at most about one more pending behind it.
 */
record BatchLimits(int rows, long bytes, long delayNanos) {
  BatchLimits {
    if (rows < 1 || bytes < 1 || delayNanos < 0) {
      throw new IllegalArgumentException("batch limits must be positive: " + rows + " rows, " + bytes + " bytes, " + delayNanos + " ns");
    }
  }

  static BatchLimits of(IngesterConfig config) {
    return new BatchLimits(config.batchRows(), config.batchBytes(), config.batchDelay().toNanos());
  }

  /** {@code rows} and {@code bytes} make at least a full batch. */
  boolean full(long rows, long bytes) {
    return rows >= this.rows || bytes >= this.bytes;
  }
}
