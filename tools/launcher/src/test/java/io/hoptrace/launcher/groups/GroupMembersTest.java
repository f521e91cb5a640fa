package io.hoptrace.launcher.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.launcher.Port;
import io.hoptrace.launcher.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How a group's members, as the coordinator describes them, are attributed to processes (no Kafka needed). */
class GroupMembersTest {
  private static final String SPANS = "otlp_spans";
  private static final String REDUCTIONS = "stock-reductions";

  @Test
  void aStaticMemberIsTheProcessRunningUnderItsIdNotThePidItsClientIdStillNames() {
    // inventory restarted within its session: the coordinator kept the client.id of the first run (pid 4242)
    ConsumerGroupDescription inventory = group("inventory",
        member("inventory-stock-keeper-8010", "inventory-stock-keeper-8010-requests-4242", tp(REDUCTIONS, 2), tp("stock-restocks", 2)),
        member("inventory-stock-keeper-8011", "inventory-stock-keeper-8011-requests-77", tp(REDUCTIONS, 0), tp(REDUCTIONS, 1)),
        member("inventory-stock-keeper-8012", "inventory-stock-keeper-8012-requests-78"));
    List<GroupMembers.Member> members = GroupMembers.attribute(List.of(inventory),
        Map.of("inventory-stock-keeper-8010", 5000L, "inventory-stock-keeper-8011", 77L));

    assertThat(members).extracting(GroupMembers.Member::name, GroupMembers.Member::pid).containsExactly(
        org.assertj.core.groups.Tuple.tuple("inventory-stock-keeper-8010", 5000L),
        org.assertj.core.groups.Tuple.tuple("inventory-stock-keeper-8011", 77L),
        // running under no id the caller knows: nobody's, although its client.id names a pid
        org.assertj.core.groups.Tuple.tuple("inventory-stock-keeper-8012", GroupMembers.NO_PID));
    assertThat(members).allMatch(GroupMembers.Member::isStatic);
    Map<Long, Set<Integer>> byPid = GroupMembers.partitionsByPid(members, REDUCTIONS);
    assertThat(byPid).containsExactly(Map.entry(GroupMembers.NO_PID, Set.of()), Map.entry(77L, Set.of(0, 1)), Map.entry(5000L, Set.of(2)));
    assertThat(byPid).doesNotContainKey(4242L);
    assertThat(GroupMembers.describe(byPid, Map.of(5000L, "inventory", 77L, "inventory-2")))
        .isEqualTo("no instance of ours none, inventory-2 0,1, inventory 2");
  }

  @Test
  void aDynamicMemberIsTheProcessItsClientIdEndsWith() {
    List<GroupMembers.Member> members = GroupMembers.attribute(List.of(
        group("hoptrace-ingester-traces",
            member(null, "hoptrace-ingester-traces-4712", tp(SPANS, 1)),
            member(null, "hoptrace-ingester-traces-4711", tp(SPANS, 2), tp(SPANS, 0))),
        group("hoptrace-ingester-logs", member(null, "hoptrace-ingester-logs-4711"), member(null, "someone-else"))),
        // a static id equal to a client.id changes nothing for a dynamic member
        Map.of("hoptrace-ingester-traces-4712", 1L));

    assertThat(members).extracting(GroupMembers.Member::group, GroupMembers.Member::name, GroupMembers.Member::pid).containsExactly(
        org.assertj.core.groups.Tuple.tuple("hoptrace-ingester-logs", "hoptrace-ingester-logs-4711", 4711L),
        org.assertj.core.groups.Tuple.tuple("hoptrace-ingester-logs", "someone-else", GroupMembers.NO_PID),
        org.assertj.core.groups.Tuple.tuple("hoptrace-ingester-traces", "hoptrace-ingester-traces-4712", 4712L),
        org.assertj.core.groups.Tuple.tuple("hoptrace-ingester-traces", "hoptrace-ingester-traces-4711", 4711L));
    assertThat(members).noneMatch(GroupMembers.Member::isStatic);
    assertThat(members.get(3).partitions()).as("sorted").containsExactly(tp(SPANS, 0), tp(SPANS, 2));
    assertThat(GroupMembers.partitionsByPid(members.subList(2, 4), SPANS))
        .containsExactly(Map.entry(4711L, Set.of(0, 2)), Map.entry(4712L, Set.of(1)));
    assertThat(GroupMembers.partitions(members.get(3).partitions())).isEqualTo("otlp_spans 0,2");
    assertThat(GroupMembers.partitions(List.of(tp("b", 3), tp("a", 1), tp("b", 0)))).isEqualTo("a 1; b 0,3");
    assertThat(GroupMembers.partitions(List.of())).isEqualTo("none");
    assertThat(GroupMembers.describe(Map.of(), Map.of())).isEqualTo("no member");
  }

  @Test
  void aPidIsTheTrailingNumberOfTheClientId() {
    assertThat(GroupMembers.pid("hoptrace-ingester-metrics-123")).contains(123L);
    assertThat(GroupMembers.pid("inventory-requests")).isEmpty();
    assertThat(GroupMembers.pid(null)).isEmpty();
  }

  @Test
  void anInventoryInstanceJoinsUnderItsTransactionalIdDerivedFromItsPort() {
    Map<Port, Integer> ports = Map.of(Port.INVENTORY_HTTP, 8011);
    assertThat(GroupMembers.staticMemberId(Role.INVENTORY, ports, env(Map.of()))).contains("inventory-stock-keeper-8011");
    assertThat(GroupMembers.staticMemberId(Role.INVENTORY, ports, env(Map.of("INVENTORY_CONSUMER_GROUP", "shop"))))
        .contains("shop-stock-keeper-8011");
    assertThat(GroupMembers.staticMemberId(Role.INVENTORY, ports, env(Map.of("INVENTORY_TRANSACTIONAL_ID", "keeper-a"))))
        .contains("keeper-a");
    assertThat(GroupMembers.staticMemberId(Role.INVENTORY, Map.of(Port.INVENTORY_HTTP, 0), env(Map.of())))
        .as("port 0: a random id nobody can know").isEmpty();
    assertThat(GroupMembers.staticMemberId(Role.INGESTER, Map.of(), env(Map.of()))).as("dynamic members").isEmpty();
  }

  private static java.util.function.Function<String, Optional<String>> env(Map<String, String> vars) {
    return v -> Optional.ofNullable(vars.get(v));
  }

  static TopicPartition tp(String topic, int partition) {
    return new TopicPartition(topic, partition);
  }

  static ConsumerGroupDescription group(String id, MemberDescription... members) {
    return new ConsumerGroupDescription(id, false, List.of(members), "", ConsumerGroupState.STABLE, null);
  }

  /** A member as the coordinator describes it; {@code staticId} null for a dynamic member. */
  static MemberDescription member(String staticId, String clientId, TopicPartition... held) {
    return new MemberDescription("m-" + clientId, Optional.ofNullable(staticId), clientId, "/127.0.0.1",
        new MemberAssignment(Set.of(held)));
  }
}
