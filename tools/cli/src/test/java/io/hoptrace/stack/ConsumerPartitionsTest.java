package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How status attributes Kafka's group members to processes and prints their partitions. */
class ConsumerPartitionsTest {
  static MemberDescription member(String clientId, TopicPartition... tps) {
    return new MemberDescription("m-" + clientId, clientId, "/127.0.0.1", new MemberAssignment(Set.of(tps)));
  }

  @Test
  void membersWithAPidInTheirClientIdBelongToThatProcess() {
    ConsumerPartitions p = ConsumerPartitions.of(List.of(
        new ConsumerGroupDescription("hoptrace-ingester-traces", false, List.of(
            member("hoptrace-ingester-traces-4711", new TopicPartition("otlp_spans", 2), new TopicPartition("otlp_spans", 0)),
            member("hoptrace-ingester-traces-4712", new TopicPartition("otlp_spans", 1))), "", ConsumerGroupState.STABLE, null),
        new ConsumerGroupDescription("hoptrace-ingester-logs", false, List.of(
            member("hoptrace-ingester-logs-4711", new TopicPartition("otlp_logs", 0), new TopicPartition("otlp_logs", 1),
                new TopicPartition("otlp_logs", 2)),
            member("hoptrace-ingester-logs-4712")), "", ConsumerGroupState.STABLE, null),
        new ConsumerGroupDescription("inventory", false, List.of(
            member("inventory-requests", new TopicPartition("stock-reductions", 1))), "", ConsumerGroupState.STABLE, null)));
    assertThat(p.byPid().get(4711L)).containsExactly("otlp_logs 0,1,2", "otlp_spans 0,2");
    assertThat(p.byPid().get(4712L)).containsExactly("hoptrace-ingester-logs none", "otlp_spans 1");
    assertThat(p.others()).containsExactly("inventory (inventory-requests): stock-reductions 1");
  }

  @Test
  void aPidIsTheTrailingNumberOfTheClientId() {
    assertThat(ConsumerPartitions.pid("hoptrace-ingester-metrics-123")).contains(123L);
    assertThat(ConsumerPartitions.pid("inventory-requests")).isEqualTo(Optional.empty());
    assertThat(ConsumerPartitions.pid(null)).isEqualTo(Optional.empty());
  }
}
