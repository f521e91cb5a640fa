package io.hoptrace.stack;

import io.hoptrace.kafka.KafkaClientSecurity;
import io.hoptrace.launcher.groups.GroupMembers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Which partitions each instance of the running stack holds, from Kafka's own view: every consumer
 * group described with the admin client (blocking; {@code ./stack status} runs it on its main
 * thread, never on an event loop) and attributed by {@link GroupMembers}: a static member (an
 * inventory instance) to the instance the state file records under its static member id, a dynamic
 * one (an ingester) to the pid its {@code client.id} ends with.
 *
 * @param byPid partitions per instance of the stack (by pid), e.g. {@code otlp_spans 0,2}
 * @param others members of no instance of the stack: {@code group (member): partitions}
 */
record ConsumerPartitions(Map<Long, List<String>> byPid, List<String> others) {
  /** Asks Kafka; throws when it does not answer within a few seconds. */
  static ConsumerPartitions describe(String bootstrapServers, KafkaClientSecurity security, StackState state) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    security.applyTo(p);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "hoptrace-status");
    try (Admin admin = Admin.create(p)) {
      return of(GroupMembers.all(admin, state.pidByStaticMember(), Duration.ofSeconds(6)), state.pids());
    }
  }

  /** Members attributed to a process of {@code ours} under its pid, the rest in {@code others}. */
  static ConsumerPartitions of(Collection<GroupMembers.Member> members, Set<Long> ours) {
    Map<Long, List<String>> byPid = new TreeMap<>();
    List<String> others = new ArrayList<>();
    for (GroupMembers.Member m : members) {
      // a member without partitions (more members than partitions) says of which group it holds none
      String held = m.partitions().isEmpty() ? m.group() + " none" : GroupMembers.partitions(m.partitions());
      if (ours.contains(m.pid())) {
        byPid.computeIfAbsent(m.pid(), k -> new ArrayList<>()).add(held);
      } else {
        others.add(m.group() + " (" + m.name() + "): " + held);
      }
    }
    return new ConsumerPartitions(byPid, others);
  }
}
