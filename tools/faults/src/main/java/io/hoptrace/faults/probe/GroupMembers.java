package io.hoptrace.faults.probe;

import io.hoptrace.kafka.TopicSetup;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions of a topic each process holds in a consumer group, as Kafka's group coordinator
 * says (the admin client, blocking: the suite's own threads). A member is the process its
 * {@code client.id} ends with ({@code -<pid>}: the ingesters' and inventory's do, as {@code ./stack
 * status} reads them).
 */
public final class GroupMembers {
  private static final Pattern PID = Pattern.compile("-(\\d+)$");

  private GroupMembers() {}

  /** Partitions of {@code topic} by pid, for every member of {@code group} (a member holding none: an empty set). */
  public static Map<Long, Set<Integer>> partitions(String bootstrapServers, String group, String topic) throws Exception {
    try (Admin admin = TopicSetup.admin(bootstrapServers)) {
      ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(15, TimeUnit.SECONDS).get(group);
      return of(d.members(), topic);
    }
  }

  /**
   * Partitions of {@code topic} by static member id ({@code group.instance.id}; a member without one under
   * {@code client:<client.id>}). The coordinator keeps the client.id a static member registered first when
   * it rejoins before its session ended, so after a quick restart only the member id names the process.
   */
  public static Map<String, Set<Integer>> partitionsByMember(String bootstrapServers, String group, String topic) throws Exception {
    try (Admin admin = TopicSetup.admin(bootstrapServers)) {
      ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(15, TimeUnit.SECONDS).get(group);
      Map<String, Set<Integer>> out = new TreeMap<>();
      for (MemberDescription m : d.members()) {
        Set<Integer> held = out.computeIfAbsent(m.groupInstanceId().orElse("client:" + m.clientId()), k -> new TreeSet<>());
        m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> held.add(tp.partition()));
      }
      return out;
    }
  }

  static Map<Long, Set<Integer>> of(Collection<MemberDescription> members, String topic) {
    Map<Long, Set<Integer>> out = new TreeMap<>();
    for (MemberDescription m : members) {
      Set<Integer> held = out.computeIfAbsent(pid(m.clientId()).orElse(-1L), k -> new TreeSet<>());
      for (TopicPartition tp : m.assignment().topicPartitions()) {
        if (tp.topic().equals(topic)) {
          held.add(tp.partition());
        }
      }
    }
    return out;
  }

  /**
   * Takes static members out of the group at once (what an operator does when scaling down a group
   * with static membership: a stopped static member otherwise keeps its partitions until its session
   * times out).
   */
  public static void removeStatic(String bootstrapServers, String group, Collection<String> groupInstanceIds) throws Exception {
    try (Admin admin = TopicSetup.admin(bootstrapServers)) {
      admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(
          groupInstanceIds.stream().map(MemberToRemove::new).toList())).all().get(15, TimeUnit.SECONDS);
    }
  }

  static Optional<Long> pid(String clientId) {
    Matcher m = PID.matcher(clientId == null ? "" : clientId);
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  /** {@code {inventory: [0], inventory-2: [1]}}-style text of an assignment by pid, with names for the pids known. */
  public static String describe(Map<Long, Set<Integer>> byPid, Map<Long, String> names) {
    StringBuilder sb = new StringBuilder();
    byPid.forEach((pid, parts) -> sb.append(sb.length() == 0 ? "" : ", ").append(names.getOrDefault(pid, "pid " + pid))
        .append(' ').append(parts.isEmpty() ? "none" : parts.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")));
    return sb.length() == 0 ? "no member" : sb.toString();
  }
}
