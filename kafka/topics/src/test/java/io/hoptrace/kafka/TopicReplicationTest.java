package io.hoptrace.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicReplicationTest {
  @Test
  void followsTheClusterUnlessAFactorIsKnownOrAskedFor() {
    assertThat(TopicReplication.auto().factorFor(2)).as("a node that still counts two of three brokers").isEqualTo(2);
    TopicReplication known = TopicReplication.auto().orFactor(3);
    assertThat(known.factorFor(3)).isEqualTo(3);
    assertThat(known.minInsyncFor(3)).isEqualTo(2);
    assertThatThrownBy(() -> known.factorFor(2)).as("never fewer copies than the cluster we started has")
        .hasMessageContaining(TopicReplication.FACTOR_VARIABLE + "=3 but the cluster has 2 broker(s)");
    TopicReplication asked = new TopicReplication(Optional.of(2), Optional.empty());
    assertThat(asked.orFactor(3).factorFor(3)).as("the user's setting wins").isEqualTo(2);
    assertThat(new TopicReplication(Optional.empty(), Optional.of(1)).orFactor(3).minInsyncFor(3)).isEqualTo(1);
  }
}
