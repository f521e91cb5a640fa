package io.hoptrace.faults.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GroupMembersTest {
  @Test
  void partitionsOfOneTopicByTheProcessTheClientIdNames() {
    List<MemberDescription> members = List.of(
        member("inventory-stock-keeper-8010-requests-4242", new TopicPartition("stock-reductions", 2), new TopicPartition("stock-restocks", 2)),
        member("inventory-stock-keeper-faults-2-requests-77", new TopicPartition("stock-reductions", 0), new TopicPartition("stock-reductions", 1)),
        member("inventory-stock-keeper-faults-3-requests-78"));
    Map<Long, Set<Integer>> byPid = GroupMembers.of(members, "stock-reductions");
    assertThat(byPid).containsExactly(Map.entry(77L, Set.of(0, 1)), Map.entry(78L, Set.of()), Map.entry(4242L, Set.of(2)));
    assertThat(GroupMembers.describe(byPid, Map.of(4242L, "inventory", 77L, "inventory-2")))
        .isEqualTo("inventory-2 0,1, pid 78 none, inventory 2");
    assertThat(GroupMembers.pid("hoptrace-status")).isEmpty();
  }

  private static MemberDescription member(String clientId, TopicPartition... held) {
    return new MemberDescription(clientId + "-id", Optional.empty(), clientId, "/127.0.0.1", new MemberAssignment(Set.of(held)));
  }
}
