package io.hoptrace.inventory.hop;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition number a product lives in: the one Kafka's default partitioner gives its key
 * (productId) on {@code stock-reductions}. Every topic inventory owns by partition (requests,
 * restocks, stock, decisions) has the same partition count, so a product's requests, its stock and
 * its requests' decisions share one partition number and one owner (ADR 001).
 */
record Partitioning(int count) {
  Partitioning {
    if (count < 1) {
      throw new IllegalArgumentException("partition count must be positive: " + count);
    }
  }

  /** The partition of a record keyed {@code productId}, as the producer's default partitioner picks it. */
  int of(String productId) {
    return Utils.toPositive(Utils.murmur2(productId.getBytes(StandardCharsets.UTF_8))) % count;
  }
}
