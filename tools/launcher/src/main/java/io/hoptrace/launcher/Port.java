package io.hoptrace.launcher;

/**
 * A port some part of the system binds: what it is for, the variable that chooses it for
 * {@code ./stack up} and its default there (the fixed contract); private stacks take free ones.
 */
public enum Port {
  KAFKA("Kafka", "HOPTRACE_KAFKA_PORT", 9092),
  KAFKA_CONTROLLER("Kafka controller", "HOPTRACE_KAFKA_CONTROLLER_PORT", 9093),
  CLICKHOUSE_HTTP("ClickHouse HTTP", "HOPTRACE_CLICKHOUSE_HTTP_PORT", 8123),
  CLICKHOUSE_TCP("ClickHouse native", "HOPTRACE_CLICKHOUSE_TCP_PORT", 9000),
  OTLP_GRPC("collector OTLP/gRPC", "COLLECTOR_OTLP_GRPC_PORT", 4317),
  OTLP_HTTP("collector OTLP/HTTP", "COLLECTOR_OTLP_HTTP_PORT", 4318),
  HEALTH("collector health", "COLLECTOR_HEALTH_PORT", 13133),
  QUERY("trace explorer", "COLLECTOR_QUERY_PORT", 16686),
  INVENTORY_HTTP("inventory HTTP", "INVENTORY_HTTP_PORT", 8010),
  ORDER_HTTP("order HTTP", "ORDER_HTTP_PORT", 8000);

  private final String what;
  private final String envVar;
  private final int defaultPort;

  Port(String what, String envVar, int defaultPort) {
    this.what = what;
    this.envVar = envVar;
    this.defaultPort = defaultPort;
  }

  public String what() {
    return what;
  }

  public String envVar() {
    return envVar;
  }

  public int defaultPort() {
    return defaultPort;
  }
}
