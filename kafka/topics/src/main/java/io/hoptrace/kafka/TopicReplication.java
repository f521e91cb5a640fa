package io.hoptrace.kafka;

import io.hoptrace.config.Env;
import java.util.Optional;

/**
 * How many copies of each topic the cluster keeps, and how many must have a record before an
 * {@code acks=all} write counts: {@code HOPTRACE_KAFKA_REPLICATION_FACTOR} and
 * {@code HOPTRACE_KAFKA_MIN_INSYNC_REPLICAS}. Unset, both follow the cluster: replication factor
 * min(3, brokers), min.insync.replicas 2 from three replicas on (one broker may fail without
 * refusing writes or losing acknowledged ones), else 1. {@link TopicSetup} applies them when it
 * creates a topic; an existing topic keeps its replication factor (changing it is a reassignment,
 * which it reports) and gets a min.insync.replicas no larger than its replica count.
 *
 * @param factor the replication factor asked for, empty = min(3, brokers)
 * @param minInsync min.insync.replicas asked for, empty = 2 at a replication factor of 3 or more, else 1
 */
public record TopicReplication(Optional<Integer> factor, Optional<Integer> minInsync) {
  public static final String FACTOR_VARIABLE = "HOPTRACE_KAFKA_REPLICATION_FACTOR";
  public static final String MIN_INSYNC_VARIABLE = "HOPTRACE_KAFKA_MIN_INSYNC_REPLICAS";

  public TopicReplication {
    factor.ifPresent(f -> require(f >= 1, FACTOR_VARIABLE + "=" + f + " must be at least 1"));
    minInsync.ifPresent(m -> require(m >= 1, MIN_INSYNC_VARIABLE + "=" + m + " must be at least 1"));
    if (factor.isPresent() && minInsync.isPresent()) {
      require(minInsync.get() <= factor.get(), MIN_INSYNC_VARIABLE + "=" + minInsync.get() + " is larger than "
          + FACTOR_VARIABLE + "=" + factor.get() + ": no write could ever be acknowledged");
    }
  }

  /** Follows the cluster (the default). */
  public static TopicReplication auto() {
    return new TopicReplication(Optional.empty(), Optional.empty());
  }

  public static TopicReplication fromEnv(Env env) {
    return new TopicReplication(
        env.optional(FACTOR_VARIABLE).map(v -> env.integer(FACTOR_VARIABLE, 1, 1, 32)),
        env.optional(MIN_INSYNC_VARIABLE).map(v -> env.integer(MIN_INSYNC_VARIABLE, 1, 1, 32)));
  }

  /**
   * This setting, with the replication factor {@code factor} unless one was asked for: for a cluster
   * whose size the caller knows (the embedded one it started), so a node whose metadata has not yet
   * seen every broker cannot make topics with fewer copies.
   */
  public TopicReplication orFactor(int factor) {
    return this.factor.isPresent() ? this : new TopicReplication(Optional.of(factor), minInsync);
  }

  /** This process's {@code HOPTRACE_KAFKA_REPLICATION_FACTOR} / {@code _MIN_INSYNC_REPLICAS}. */
  public static TopicReplication process() {
    return Holder.PROCESS;
  }

  /** The replication factor of a new topic on a cluster of {@code brokers}; names the variable when the cluster is too small. */
  public int factorFor(int brokers) {
    int f = factor.orElse(Math.min(3, Math.max(1, brokers)));
    if (f > brokers) {
      throw new TopicSetup.KafkaSetupException(FACTOR_VARIABLE + "=" + f + " but the cluster has " + brokers
          + " broker(s): lower it or add brokers", null);
    }
    return f;
  }

  /** min.insync.replicas of a topic with {@code replicas} copies. */
  public int minInsyncFor(int replicas) {
    return Math.min(replicas, minInsync.orElse(replicas >= 3 ? 2 : 1));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new Env.ConfigException(message);
    }
  }

  private static final class Holder {
    static final TopicReplication PROCESS = fromEnv(Env.system());
  }
}
