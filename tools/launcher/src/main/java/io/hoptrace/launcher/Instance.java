package io.hoptrace.launcher;

import java.util.List;
import java.util.Map;

/**
 * One running part of the system: a process the launcher started (or an external Kafka or
 * ClickHouse it only checks). Everything a stack, a benchmark or a fault scenario does to a part.
 */
public interface Instance {
  InstanceId id();

  default String name() {
    return id().name();
  }

  default Role role() {
    return id().role();
  }

  /** Starts it and returns once it is healthy; throws with the reason (and its log's last lines) otherwise. */
  void start();

  /** SIGTERM, then SIGKILL after a grace period. */
  void stop();

  /** {@code kill -9}: no shutdown hook, no flush, no commit. What a crash looks like. */
  void kill();

  /** Stops it (if it still runs) and starts it again: same ports, data and environment. */
  default void restart() {
    stop();
    start();
  }

  /** Its process runs (an external one: always true, the launcher cannot tell). */
  boolean isAlive();

  /** It answers its health check right now. */
  boolean isHealthy();

  /** The process, or -1 when the launcher runs none (external, or not started). */
  long pid();

  /** The ports it binds (none when external). */
  Map<Port, Integer> ports();

  /** What to print once up: "label  address" lines. */
  List<String> addresses();
}
