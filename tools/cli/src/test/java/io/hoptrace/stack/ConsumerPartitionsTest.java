package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.config.Env;
import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.launcher.Port;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.groups.GroupMembers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/** How status attributes Kafka's group members to the stack's instances and prints their partitions. */
class ConsumerPartitionsTest {
  @TempDir Path dir;

  static MemberDescription member(String staticId, String clientId, TopicPartition... tps) {
    return new MemberDescription("m-" + clientId, Optional.ofNullable(staticId), clientId, "/127.0.0.1", new MemberAssignment(Set.of(tps)));
  }

  static ConsumerGroupDescription group(String id, MemberDescription... members) {
    return new ConsumerGroupDescription(id, false, List.of(members), "", ConsumerGroupState.STABLE, null);
  }

  @Test
  void eachInstanceShowsWhatItsMembersHoldAndMembersOfNoInstanceAreListedApart() throws Exception {
    // the state file of a stack whose inventory was restarted quickly: the coordinator still shows the
    // client.id of its first run (pid 4000), the state file the running process (pid 4100)
    Path file = dir.resolve("stack.state");
    Files.writeString(file, String.join("\n",
        "supervisor.pid=1", "components=ingester,ingester-2,inventory",
        "ingester.pid=4711", "ingester-2.pid=4712",
        "inventory.pid=4100", "inventory.groupInstanceId=inventory-stock-keeper-8010"), StandardCharsets.UTF_8);
    StackState state = StackState.read(file).orElseThrow();
    assertThat(state.pids()).containsExactly(4100L, 4711L, 4712L);
    assertThat(state.pidByStaticMember()).containsExactly(Map.entry("inventory-stock-keeper-8010", 4100L));

    List<GroupMembers.Member> members = GroupMembers.attribute(List.of(
        group("hoptrace-ingester-traces",
            member(null, "hoptrace-ingester-traces-4711", new TopicPartition("otlp_spans", 2), new TopicPartition("otlp_spans", 0)),
            member(null, "hoptrace-ingester-traces-4712", new TopicPartition("otlp_spans", 1))),
        group("hoptrace-ingester-logs",
            member(null, "hoptrace-ingester-logs-4711", new TopicPartition("otlp_logs", 0), new TopicPartition("otlp_logs", 1),
                new TopicPartition("otlp_logs", 2)),
            member(null, "hoptrace-ingester-logs-4712"),
            member(null, "hoptrace-ingester-logs-999", new TopicPartition("otlp_logs", 3))),
        group("inventory",
            member("inventory-stock-keeper-8010", "inventory-stock-keeper-8010-requests-4000", new TopicPartition("stock-reductions", 1),
                new TopicPartition("stock-restocks", 1)),
            member("inventory-stock-keeper-9999", "inventory-stock-keeper-9999-requests-4100", new TopicPartition("stock-reductions", 0)))),
        state.pidByStaticMember());
    ConsumerPartitions p = ConsumerPartitions.of(members, state.pids());

    assertThat(p.byPid().get(4711L)).containsExactly("otlp_logs 0,1,2", "otlp_spans 0,2");
    assertThat(p.byPid().get(4712L)).containsExactly("hoptrace-ingester-logs none", "otlp_spans 1");
    assertThat(p.byPid().get(4100L)).as("by its static member id, not the pid of its stale client.id")
        .containsExactly("stock-reductions 1; stock-restocks 1");
    assertThat(p.byPid()).doesNotContainKey(4000L);
    assertThat(p.others()).containsExactly(
        "hoptrace-ingester-logs (hoptrace-ingester-logs-999): otlp_logs 3",
        // a static member under an id no instance of the stack joins with: nobody's, whatever pid its client.id names
        "inventory (inventory-stock-keeper-9999): stock-reductions 0");
  }

  @Test
  void theStaticMemberIdStatusExpectsIsTheTransactionalIdInventoryJoinsWith() {
    for (Map<String, String> vars : List.of(Map.of("INVENTORY_HTTP_PORT", "8011"),
        Map.of("INVENTORY_HTTP_PORT", "8012", "INVENTORY_CONSUMER_GROUP", "shop"),
        Map.of("INVENTORY_HTTP_PORT", "8013", "INVENTORY_TRANSACTIONAL_ID", "keeper-a"))) {
      assertThat(GroupMembers.staticMemberId(Role.INVENTORY, Map.of(Port.INVENTORY_HTTP, Integer.parseInt(vars.get("INVENTORY_HTTP_PORT"))),
          v -> Optional.ofNullable(vars.get(v)))).as(vars.toString()).contains(InventoryConfig.fromEnv(Env.of(vars)).transactionalId());
    }
  }
}
