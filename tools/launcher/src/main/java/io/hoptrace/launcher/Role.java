package io.hoptrace.launcher;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The parts of the system the launcher runs, and the ports each binds. The collector runs either
 * whole ({@link #COLLECTOR}: receiver, ingester and query in one process, as {@code ./stack up} runs
 * it) or by role, each role a process of its own that can die alone ({@link #RECEIVER},
 * {@link #INGESTER}, {@link #QUERY}).
 */
public enum Role {
  KAFKA(List.of(Port.KAFKA, Port.KAFKA_CONTROLLER)),
  CLICKHOUSE(List.of(Port.CLICKHOUSE_HTTP, Port.CLICKHOUSE_TCP)),
  COLLECTOR(List.of(Port.OTLP_GRPC, Port.OTLP_HTTP, Port.HEALTH, Port.QUERY)),
  RECEIVER(List.of(Port.OTLP_GRPC, Port.OTLP_HTTP, Port.HEALTH)),
  INGESTER(List.of(Port.HEALTH)),
  QUERY(List.of(Port.QUERY, Port.HEALTH)),
  INVENTORY(List.of(Port.INVENTORY_HTTP)),
  ORDER(List.of(Port.ORDER_HTTP));

  private final List<Port> ports;

  Role(List<Port> ports) {
    this.ports = ports;
  }

  /** Lower case, as status, logs and options name it: {@code kafka}, {@code receiver}, {@code order}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public List<Port> ports() {
    return ports;
  }

  /** A collector process (whole or one of its roles). */
  public boolean isCollector() {
    return this == COLLECTOR || this == RECEIVER || this == INGESTER || this == QUERY;
  }

  /** Takes OTLP in: where the services send their telemetry. */
  public boolean receivesOtlp() {
    return this == COLLECTOR || this == RECEIVER;
  }

  /** {@code kafka}, {@code ingester}...; names the valid ones otherwise. */
  public static Role of(String id) {
    for (Role r : values()) {
      if (r.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown part '" + id + "'; parts: "
        + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
  }
}
