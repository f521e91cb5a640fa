package io.hoptrace.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * The private infrastructure a benchmark runs on: one Kafka and one ClickHouse started for the bench
 * run (fresh data, free ports), and the project's processes started from their jars exactly as
 * {@code ./stack} starts them. Implemented by the {@code ./stack bench} command.
 */
public interface BenchStack {
  String kafkaBootstrapServers();

  /** ClickHouse HTTP, e.g. {@code http://127.0.0.1:34567}. */
  String clickHouseUrl();

  /** The database of the OpenTelemetry tables ({@code otel}). */
  String database();

  long kafkaPid();

  long clickHousePid();

  /** Folder for this bench run's files (profiles, logs); removed at the end unless kept. */
  Path workDir();

  /** Starts the collector (receiver and ingester roles, self-metrics off unless {@code env} says otherwise); returns once healthy. */
  Service startCollector(Map<String, String> env);

  /** Starts inventory then order, exporting telemetry to {@code collector}; returns once both are healthy. */
  Services startServices(Service collector, Map<String, String> env);

  /** A running process of ours. */
  interface Service extends AutoCloseable {
    String name();

    long pid();

    /** Its base URL: OTLP/HTTP for the collector, the HTTP API for a service. */
    String url();

    @Override
    void close();
  }

  /** inventory and order, stopped together. */
  record Services(Service inventory, Service order) implements AutoCloseable {
    @Override
    public void close() {
      order.close();
      inventory.close();
    }
  }
}
