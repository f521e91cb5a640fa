package io.hoptrace.collector.ingester.dedup;

import java.nio.ByteBuffer;
import org.apache.kafka.common.TopicPartition;

/** Reads a partition's records back, to rebuild a de-duplication window. */
public interface WindowSource {
  /** A record read back: its offset, its value (null when it has none; read it in place), and whether it is a replayed copy. */
  interface Each {
    void record(long offset, ByteBuffer value, boolean replay);
  }

  /** Every record of {@code tp} in {@code [from, to)} that is still in the log, in offset order; throws if it cannot. */
  void read(TopicPartition tp, long from, long to, Each each);
}
