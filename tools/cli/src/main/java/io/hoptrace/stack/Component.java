package io.hoptrace.stack;

import java.util.List;

/** One running part of the stack: started in order, stopped in reverse. */
interface Component {
  /** Short name shown by {@code ./stack status}: kafka, clickhouse, collector, inventory, order. */
  String name();

  /** Starts and returns once healthy; throws with a reason otherwise. */
  void start();

  void stop();

  /** The OS process, if this component runs one we started (an external Kafka/ClickHouse has none). */
  long pid();

  boolean isAlive();

  /** Ports it will bind, checked before anything starts so that nothing is left half-started. */
  List<PortClaim> ports();

  /** What to print once up: "label  address" lines. */
  List<String> addresses();
}
