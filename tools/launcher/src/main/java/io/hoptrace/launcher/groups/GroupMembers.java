package io.hoptrace.launcher.groups;

import io.hoptrace.launcher.Instance;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Port;
import io.hoptrace.launcher.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.TopicPartition;

/**
 * Which process holds which partitions in Kafka's consumer groups, as the group coordinator says: the
 * one way {@code ./stack status} and the fault suite ask. The Kafka calls block (callers run them on
 * their own threads, never an event loop); the attribution is pure.
 *
 * <p>A static member ({@code group.instance.id}: inventory's transactional id) is the process the
 * caller runs under that id. Never the pid its {@code client.id} ends with: the coordinator keeps the
 * client.id a static member registered first when it rejoins within its session, so after a quick
 * restart that pid is the dead process's. A dynamic member (the ingesters) is the process its
 * {@code client.id} ends with ({@code -<pid>}): it rejoins under a new member id and client.id.
 */
public final class GroupMembers {
  private static final Pattern PID = Pattern.compile("-(\\d+)$");

  /** Process of a member attributed to none. */
  public static final long NO_PID = -1;

  private GroupMembers() {}

  /**
   * One member of a group, attributed.
   *
   * @param group its consumer group
   * @param name its static member id, or its client.id when it has none
   * @param isStatic it has a static member id
   * @param pid the process it is, {@link #NO_PID} when it is none the caller knows (a static member) or its
   *     client.id names none (a dynamic one)
   * @param partitions what it holds, sorted
   */
  public record Member(String group, String name, boolean isStatic, long pid, List<TopicPartition> partitions) {
    public Member {
      partitions = partitions.stream()
          .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition)).toList();
    }

    /** Its partitions of one topic. */
    public Set<Integer> partitionsOf(String topic) {
      Set<Integer> out = new TreeSet<>();
      partitions.stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> out.add(tp.partition()));
      return out;
    }
  }

  /** Every consumer group Kafka knows, described and attributed; throws when Kafka does not answer within {@code timeout} (per call). */
  public static List<Member> all(Admin admin, Map<String, Long> pidByStaticMember, Duration timeout) throws Exception {
    List<String> groups = admin.listConsumerGroups().all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
        .map(ConsumerGroupListing::groupId).sorted().toList();
    return of(groups, admin, pidByStaticMember, timeout);
  }

  /** The members of one group, attributed. */
  public static List<Member> of(String group, Admin admin, Map<String, Long> pidByStaticMember, Duration timeout) throws Exception {
    return of(List.of(group), admin, pidByStaticMember, timeout);
  }

  private static List<Member> of(List<String> groups, Admin admin, Map<String, Long> pidByStaticMember, Duration timeout)
      throws Exception {
    if (groups.isEmpty()) {
      return List.of();
    }
    Map<String, ConsumerGroupDescription> d = admin.describeConsumerGroups(groups).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return attribute(d.values(), pidByStaticMember);
  }

  /**
   * Each member of {@code groups} with the process it is (see the class comment), groups by name.
   *
   * @param pidByStaticMember the caller's running processes by their static member id
   */
  public static List<Member> attribute(Collection<ConsumerGroupDescription> groups, Map<String, Long> pidByStaticMember) {
    List<Member> out = new ArrayList<>();
    for (ConsumerGroupDescription g : groups.stream().sorted(Comparator.comparing(ConsumerGroupDescription::groupId)).toList()) {
      for (MemberDescription m : g.members()) {
        List<TopicPartition> held = List.copyOf(m.assignment().topicPartitions());
        Optional<String> staticId = m.groupInstanceId();
        if (staticId.isPresent()) {
          out.add(new Member(g.groupId(), staticId.get(), true, pidByStaticMember.getOrDefault(staticId.get(), NO_PID), held));
        } else {
          out.add(new Member(g.groupId(), m.clientId(), false, pid(m.clientId()).orElse(NO_PID), held));
        }
      }
    }
    return out;
  }

  /** Partitions of {@code topic} by process, for every member (one holding none: an empty set; members of no known process under {@link #NO_PID}). */
  public static Map<Long, Set<Integer>> partitionsByPid(Collection<Member> members, String topic) {
    Map<Long, Set<Integer>> out = new TreeMap<>();
    members.forEach(m -> out.computeIfAbsent(m.pid(), k -> new TreeSet<>()).addAll(m.partitionsOf(topic)));
    return out;
  }

  /**
   * The static member id a process of ours joins its group with, if any: an inventory instance's
   * {@code INVENTORY_TRANSACTIONAL_ID}, by default {@code <INVENTORY_CONSUMER_GROUP>-stock-keeper-<INVENTORY_HTTP_PORT>}
   * (as InventoryConfig derives it; none for port 0, whose id is random). Its environment: what the
   * launcher gives it, then what it inherits.
   */
  public static Optional<String> staticMemberId(Instance i) {
    if (!(i instanceof JvmInstance j)) {
      return Optional.empty();
    }
    return staticMemberId(i.role(), i.ports(), v -> Optional.ofNullable(j.env().get(v)).or(() -> Optional.ofNullable(System.getenv(v))));
  }

  /** The same from an instance's role, ports and environment. */
  public static Optional<String> staticMemberId(Role role, Map<Port, Integer> ports, Function<String, Optional<String>> env) {
    if (role != Role.INVENTORY) {
      return Optional.empty();
    }
    Optional<String> id = env.apply("INVENTORY_TRANSACTIONAL_ID").filter(s -> !s.isBlank());
    if (id.isPresent()) {
      return id;
    }
    Integer port = ports.get(Port.INVENTORY_HTTP);
    return port == null || port == 0 ? Optional.empty()
        : Optional.of(env.apply("INVENTORY_CONSUMER_GROUP").filter(s -> !s.isBlank()).orElse("inventory") + "-stock-keeper-" + port);
  }

  /** The running instances by the static member id each joins with (the map {@link #attribute} takes). */
  public static Map<String, Long> pidByStaticMember(Collection<? extends Instance> instances) {
    Map<String, Long> out = new TreeMap<>();
    instances.forEach(i -> staticMemberId(i).ifPresent(id -> out.put(id, i.pid())));
    return out;
  }

  /**
   * Takes static members out of the group at once (what an operator does when scaling down a group
   * with static membership: a stopped static member otherwise keeps its partitions until its session
   * times out).
   */
  public static void removeStatic(Admin admin, String group, Collection<String> groupInstanceIds, Duration timeout) throws Exception {
    admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(
        groupInstanceIds.stream().map(MemberToRemove::new).toList())).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The pid a {@code client.id} ends with ({@code -<pid>}). */
  static Optional<Long> pid(String clientId) {
    Matcher m = PID.matcher(clientId == null ? "" : clientId);
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  /** {@code inventory-2 0,1, inventory 2}-style text of {@link #partitionsByPid}, with names for the pids known. */
  public static String describe(Map<Long, Set<Integer>> byPid, Map<Long, String> names) {
    StringBuilder sb = new StringBuilder();
    byPid.forEach((pid, parts) -> sb.append(sb.length() == 0 ? "" : ", ")
        .append(names.getOrDefault(pid, pid == NO_PID ? "no instance of ours" : "pid " + pid))
        .append(' ').append(parts.isEmpty() ? "none" : parts.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")));
    return sb.length() == 0 ? "no member" : sb.toString();
  }

  /** {@code otlp_spans 0,1,2} per topic, topics by name ({@code none} for no partition). */
  public static String partitions(Collection<TopicPartition> tps) {
    if (tps.isEmpty()) {
      return "none";
    }
    Map<String, Set<Integer>> byTopic = new TreeMap<>();
    tps.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(tp.partition()));
    StringBuilder sb = new StringBuilder();
    byTopic.forEach((t, ps) -> sb.append(sb.length() == 0 ? "" : "; ").append(t).append(' ')
        .append(String.join(",", ps.stream().map(String::valueOf).toList())));
    return sb.toString();
  }
}
