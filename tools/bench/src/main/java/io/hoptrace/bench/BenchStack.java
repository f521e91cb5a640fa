package io.hoptrace.bench;

import io.hoptrace.launcher.Instance;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Progress;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The private infrastructure a benchmark runs on: one Kafka and one ClickHouse started for the bench
 * run (fresh data, free ports), and the collector and the services started from their jars by the
 * launcher, exactly as {@code ./stack up} starts them, as often as a benchmark needs them fresh.
 */
final class BenchStack {
  private final Stack stack;
  private final Path workDir;

  BenchStack(Stack stack, Path workDir) {
    this.stack = stack;
    this.workDir = workDir;
  }

  /** How a bench run reports the processes it starts and stops. */
  static Progress progress(Console console) {
    return new Progress() {
      @Override
      public void starting(Instance instance) {
        if (instance instanceof JvmInstance j) {
          Map<String, String> extra = new HashMap<>(j.env());
          extra.keySet().retainAll(java.util.Set.of("OTEL_SDK_DISABLED", "INVENTORY_SEED_FILE"));
          console.step("starting " + instance.name() + (extra.isEmpty() ? "" : " with " + extra));
        } else {
          console.step("starting " + instance.name());
        }
      }

      @Override
      public void stopping(Instance instance) {
        if (!(instance instanceof JvmInstance)) {
          console.step("stopping " + instance.name());
        }
      }

      @Override
      public void warning(String message) {
        console.step("warning: " + message);
      }
    };
  }

  String kafkaBootstrapServers() {
    return stack.kafka().bootstrapServers();
  }

  /** ClickHouse HTTP, e.g. {@code http://127.0.0.1:34567}. */
  String clickHouseUrl() {
    return stack.clickHouse().settings().url();
  }

  /** The database of the OpenTelemetry tables ({@code otel}). */
  String database() {
    return stack.clickHouse().settings().database();
  }

  long kafkaPid() {
    return stack.kafka().pid();
  }

  long clickHousePid() {
    return stack.clickHouse().pid();
  }

  /** Folder for this bench run's files (profiles, logs); removed at the end unless kept. */
  Path workDir() {
    return workDir;
  }

  /**
   * A fresh collector with the receiver and ingester roles (measure the pipeline, not the explorer's
   * alert queries) and self-metrics off (nor our own telemetry), unless {@code env} says otherwise;
   * returns once healthy. Closing it stops it.
   */
  JvmInstance startCollector(Map<String, String> env) {
    Map<String, String> e = new HashMap<>();
    e.put("COLLECTOR_SELF_METRICS_INTERVAL", "0");
    e.put("COLLECTOR_ROLES", "receiver,ingester");
    e.putAll(env);
    return stack.start(Role.COLLECTOR, e);
  }

  /** Starts inventory then order, exporting telemetry to the running collector; returns once both are healthy. */
  Services startServices(Map<String, String> env) {
    JvmInstance inventory = stack.start(Role.INVENTORY, env);
    try {
      return new Services(inventory, stack.start(Role.ORDER, env));
    } catch (RuntimeException e) {
      inventory.close();
      throw e;
    }
  }

  /** inventory and order, stopped together. */
  record Services(JvmInstance inventory, JvmInstance order) implements AutoCloseable {
    @Override
    public void close() {
      order.close();
      inventory.close();
    }
  }
}
