package io.hoptrace.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Brings a cluster's topics in line with a list of {@link TopicSpec}s: creates what is missing and
 * corrects topic configs that differ. Replication follows {@link TopicReplication} (this process's
 * {@code HOPTRACE_KAFKA_REPLICATION_FACTOR} / {@code _MIN_INSYNC_REPLICAS}, by default the cluster's
 * size): it overrides the specs' {@code min.insync.replicas}. Idempotent; blocking (call it off the event loop).
 */
public final class TopicSetup {
  private static final long TIMEOUT_S = 30;
  private static final String MIN_INSYNC = "min.insync.replicas";

  private TopicSetup() {}

  /** What {@link #ensure} did, one line per topic. */
  public record Report(List<String> created, List<String> updated, List<String> unchanged, List<String> warnings) {
    @Override
    public String toString() {
      return "created " + created + ", updated " + updated + ", unchanged " + unchanged
          + (warnings.isEmpty() ? "" : ", warnings " + warnings);
    }
  }

  /** An admin client with this process's TLS / SASL settings ({@code HOPTRACE_KAFKA_*}). */
  public static Admin admin(String bootstrapServers) {
    return admin(bootstrapServers, KafkaClientSecurity.process());
  }

  /** An admin client with these TLS / SASL settings (a launcher starting processes with their own environment). */
  public static Admin admin(String bootstrapServers, KafkaClientSecurity security) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    security.applyTo(p);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "hoptrace-topic-setup");
    return Admin.create(p);
  }

  public static Report ensure(String bootstrapServers, Collection<TopicSpec> specs) {
    return ensure(bootstrapServers, KafkaClientSecurity.process(), specs);
  }

  public static Report ensure(String bootstrapServers, KafkaClientSecurity security, Collection<TopicSpec> specs) {
    try (Admin admin = admin(bootstrapServers, security)) {
      return ensure(admin, specs, bootstrapServers);
    }
  }

  /** With explicit replication settings: a launcher reads them from the environment it starts processes with. */
  public static Report ensure(String bootstrapServers, KafkaClientSecurity security, Collection<TopicSpec> specs, TopicReplication replication) {
    try (Admin admin = admin(bootstrapServers, security)) {
      return ensure(admin, specs, bootstrapServers, replication);
    }
  }

  public static Report ensure(Admin admin, Collection<TopicSpec> specs) {
    return ensure(admin, specs, "the configured bootstrap servers");
  }

  private static Report ensure(Admin admin, Collection<TopicSpec> specs, String where) {
    return ensure(admin, specs, where, TopicReplication.process());
  }

  /** With explicit replication settings (a launcher setting up a cluster for processes with their own environment). */
  public static Report ensure(Admin admin, Collection<TopicSpec> specs, TopicReplication replication) {
    return ensure(admin, specs, "the configured bootstrap servers", replication);
  }

  private static Report ensure(Admin admin, Collection<TopicSpec> specs, String where, TopicReplication replication) {
    List<String> created = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    try {
      Map<String, TopicSpec> byName = specs.stream().collect(Collectors.toMap(TopicSpec::name, s -> s, (a, b) -> b));
      var existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
      int brokers = brokersSeen(admin, replication.factor().orElse(1));
      int factor = replication.factorFor(brokers);

      List<NewTopic> toCreate = new ArrayList<>();
      for (TopicSpec s : byName.values()) {
        if (!existing.contains(s.name())) {
          Map<String, String> configs = new HashMap<>(s.configs());
          configs.put(MIN_INSYNC, Integer.toString(replication.minInsyncFor(factor)));
          toCreate.add(new NewTopic(s.name(), Optional.of(s.partitions()), Optional.of((short) factor)).configs(configs));
        }
      }
      if (!toCreate.isEmpty()) {
        var results = admin.createTopics(toCreate).values();
        List<String> justCreated = new ArrayList<>();
        for (var e : results.entrySet()) {
          try {
            e.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
            created.add(e.getKey());
          } catch (ExecutionException ex) {
            if (!(ex.getCause() instanceof TopicExistsException)) {
              throw ex;
            }
            // created concurrently by another process: treat as existing below (and wait for it too)
          }
          justCreated.add(e.getKey());
        }
        awaitLeaders(admin, justCreated);
      }

      List<String> toCheck = byName.keySet().stream().filter(n -> !created.contains(n)).sorted().toList();
      if (!toCheck.isEmpty()) {
        Map<String, TopicDescription> descriptions = admin.describeTopics(toCheck).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
        List<ConfigResource> resources = toCheck.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> alterations = new HashMap<>();
        for (String name : toCheck) {
          TopicSpec spec = byName.get(name);
          int actualPartitions = descriptions.get(name).partitions().size();
          int replicas = descriptions.get(name).partitions().get(0).replicas().size();
          if (replicas < factor) {
            warnings.add(name + " has " + replicas + " replica(s), the cluster of " + brokers + " broker(s) wants " + factor
                + " (left unchanged: raise it with kafka-reassign-partitions)");
          }
          Map<String, String> wanted = new HashMap<>(spec.configs());
          wanted.put(MIN_INSYNC, Integer.toString(replication.minInsyncFor(replicas)));
          if (actualPartitions != spec.partitions()) {
            warnings.add(name + " has " + actualPartitions + " partitions, the project expects " + spec.partitions()
                + " (left unchanged: changing partitions reorders keys)");
          }
          ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, name);
          Config actual = configs.get(res);
          List<AlterConfigOp> ops = new ArrayList<>();
          for (var want : wanted.entrySet()) {
            ConfigEntry have = actual.get(want.getKey());
            if (have == null || !want.getValue().equals(have.value())) {
              ops.add(new AlterConfigOp(new ConfigEntry(want.getKey(), want.getValue()), AlterConfigOp.OpType.SET));
            }
          }
          if (ops.isEmpty()) {
            unchanged.add(name);
          } else {
            alterations.put(res, ops);
            updated.add(name);
          }
        }
        if (!alterations.isEmpty()) {
          admin.incrementalAlterConfigs(alterations).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        }
      }
      return new Report(List.copyOf(created), List.copyOf(updated), List.copyOf(unchanged), List.copyOf(warnings));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException("interrupted while setting up topics", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new KafkaSetupException("could not set up topics " + names(specs) + ": " + cause
          + ". Is Kafka reachable at " + where + "?", cause);
    }
  }

  /**
   * The brokers the cluster reports, asked again (for up to {@link #TIMEOUT_S} s) while fewer than
   * {@code wanted}: right after a start, or a broker's restart, one node's metadata may not yet list a
   * broker the others already do (the fault suite once got topics of 2 replicas on 3 brokers so).
   * Fewer in the end is the caller's to refuse, naming the setting.
   */
  private static int brokersSeen(Admin admin, int wanted) throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (true) {
      int brokers = admin.describeCluster().nodes().get(TIMEOUT_S, TimeUnit.SECONDS).size();
      if (brokers >= wanted || System.nanoTime() - deadline >= 0) {
        return brokers;
      }
      Thread.sleep(200);
    }
  }

  /**
   * Waits until every partition of {@code topics} has a leader in the brokers' metadata, and then
   * until each leader answers for its partitions (their latest offsets). A producer that writes to a
   * partition its broker has not applied yet gets NOT_LEADER_OR_FOLLOWER, and an idempotent producer
   * with several requests in flight can then lose its sequence for that partition and retry with
   * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout (KAFKA-15591): a process that writes
   * right after creating its topics saw exactly that, and so did a test whose broker listed the
   * leader in its metadata before that leader served the partition.
   */
  private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (!topics.isEmpty()) {
      Map<String, TopicDescription> d;
      try {
        d = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        d = Map.of(); // created, not yet in this broker's metadata
      }
      boolean led = d.size() == topics.size() && d.values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
      if (led && served(admin, d)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("partitions of " + topics + " still have no leader after " + TIMEOUT_S + " s");
      }
      Thread.sleep(50); // polling the metadata: there is no notification for it
    }
  }

  /** Whether every partition's leader answers a latest-offset request for it (a refusal it would give a producer too). */
  private static boolean served(Admin admin, Map<String, TopicDescription> topics) throws InterruptedException, TimeoutException,
      ExecutionException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    topics.values().forEach(t -> t.partitions().forEach(p -> latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
    try {
      admin.listOffsets(latest).all().get(TIMEOUT_S, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetriableException) {
        return false; // not yet: the caller asks again until its deadline
      }
      throw e;
    }
  }

  /** Deletes topics if they exist (tests and replays of scratch topics). */
  public static void delete(Admin admin, Collection<String> topics) {
    try {
      admin.deleteTopics(topics).all().get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw new KafkaSetupException("could not delete topics " + topics + ": " + e.getCause(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException("interrupted while deleting topics", e);
    } catch (TimeoutException e) {
      throw new KafkaSetupException("timed out deleting topics " + topics, e);
    }
  }

  private static String names(Collection<TopicSpec> specs) {
    return specs.stream().map(TopicSpec::name).toList().toString();
  }

  /** Topic setup failed; the message says which topics and what Kafka answered. */
  public static final class KafkaSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaSetupException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
