package io.hoptrace.inventory.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** A product's partition is the one the producers of its requests (order, restocks) pick by its key. */
class PartitioningTest {
  @Test
  void aProductLivesInThePartitionTheDefaultPartitionerGivesItsKey() {
    for (int count : new int[] {1, 3, 6, 7}) {
      Partitioning partitioning = new Partitioning(count);
      for (int i = 0; i < 500; i++) {
        String id = "product-" + i;
        assertThat(partitioning.of(id)).as(id + " of " + count)
            .isEqualTo(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), count));
      }
    }
  }

  @Test
  void aPartitionCountBelowOneIsRefused() {
    assertThatThrownBy(() -> new Partitioning(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
