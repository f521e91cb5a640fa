package io.hoptrace.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** inventory-decisions: compacted and deleted after the de-duplication window. */
class DecisionsTopicTest {
  @Test
  void decisionsAreCompactedAndDeletedAfterTheWindow() {
    TopicSpec spec = Topics.decisions("d", Duration.ofDays(14));

    assertThat(spec.configs()).containsEntry("cleanup.policy", "compact,delete")
        .containsEntry("retention.ms", String.valueOf(Duration.ofDays(14).toMillis()))
        .containsEntry("segment.ms", String.valueOf(Duration.ofDays(1).toMillis()));
    assertThat(Topics.decisions("d", Duration.ofHours(7)).configs())
        .as("segments roll within the window, so deletion follows it closely")
        .containsEntry("segment.ms", String.valueOf(Duration.ofHours(1).toMillis()));
  }

  @Test
  void theContractTopicKeepsSevenDays() {
    assertThat(Topics.inventoryDecisions().configs()).containsEntry("retention.ms", String.valueOf(Duration.ofDays(7).toMillis()))
        .containsEntry("cleanup.policy", "compact,delete");
    assertThat(Topics.all()).contains(Topics.inventoryDecisions());
  }
}
