package io.hoptrace.stack;

import io.hoptrace.kafka.KafkaClientSecurity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions each consumer of the running stack holds, from Kafka's own view: every consumer
 * group described with the admin client (blocking; {@code ./stack status} runs it on its main
 * thread, never on an event loop). A member whose {@code client.id} ends in {@code -<pid>} (the
 * ingester's do) is attributed to that process; the others are listed by group and client id.
 *
 * @param byPid partitions per process, e.g. {@code otlp_spans 0,2}
 * @param others members no pid names: {@code group (client id): partitions}
 */
record ConsumerPartitions(Map<Long, List<String>> byPid, List<String> others) {
  private static final Pattern PID = Pattern.compile("-(\\d+)$");

  /** Asks Kafka; throws when it does not answer within a few seconds. */
  static ConsumerPartitions describe(String bootstrapServers, KafkaClientSecurity security) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    security.applyTo(p);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "hoptrace-status");
    try (Admin admin = Admin.create(p)) {
      List<String> groups = admin.listConsumerGroups().all().get(6, TimeUnit.SECONDS).stream()
          .map(ConsumerGroupListing::groupId).sorted().toList();
      Map<String, ConsumerGroupDescription> described = groups.isEmpty() ? Map.of()
          : admin.describeConsumerGroups(groups).all().get(6, TimeUnit.SECONDS);
      return of(described.values());
    }
  }

  static ConsumerPartitions of(Collection<ConsumerGroupDescription> groups) {
    Map<Long, List<String>> byPid = new TreeMap<>();
    List<String> others = new ArrayList<>();
    for (ConsumerGroupDescription g : groups.stream().sorted((a, b) -> a.groupId().compareTo(b.groupId())).toList()) {
      for (MemberDescription m : g.members()) {
        String held = m.assignment().topicPartitions().isEmpty() ? g.groupId() + " none"
            : partitions(m.assignment().topicPartitions());
        Optional<Long> pid = pid(m.clientId());
        if (pid.isPresent()) {
          byPid.computeIfAbsent(pid.get(), k -> new ArrayList<>()).add(held);
        } else {
          others.add(g.groupId() + " (" + m.clientId() + "): " + held);
        }
      }
    }
    return new ConsumerPartitions(byPid, others);
  }

  /** {@code otlp_spans 0,1,2} per topic ({@code <group> none} stands for a member without partitions: more members than partitions). */
  static String partitions(Collection<TopicPartition> tps) {
    if (tps.isEmpty()) {
      return "none";
    }
    Map<String, List<Integer>> byTopic = new TreeMap<>();
    tps.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
    return byTopic.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue().stream().sorted().map(String::valueOf).collect(Collectors.joining(",")))
        .collect(Collectors.joining("; "));
  }

  static Optional<Long> pid(String clientId) {
    Matcher m = PID.matcher(clientId == null ? "" : clientId);
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }
}
