package io.hoptrace.collector.ingester.dedup;

import org.apache.kafka.common.TopicPartition;

/** Reads a partition's records back, to rebuild a de-duplication window. */
public interface WindowSource {
  /** A record read back: its offset and value (null when it has none). */
  interface Each {
    void record(long offset, byte[] value);
  }

  /** Every record of {@code tp} in {@code [from, to)} that is still in the log, in offset order; throws if it cannot. */
  void read(TopicPartition tp, long from, long to, Each each);
}
