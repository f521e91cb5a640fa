package io.hoptrace.bench;

import io.hoptrace.launcher.Instance;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Progress;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.kafka.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The private infrastructure a benchmark runs on: one Kafka and one ClickHouse started for the bench
 * run (fresh data, free ports), and the collector and the services started from their jars by the
 * launcher, exactly as {@code ./stack up} starts them, as often as a benchmark needs them fresh.
 */
final class BenchStack {
  /** The product the order benchmarks buy: its stock never runs out, so every order is a confirmed round trip. */
  static final String PRODUCT = "bench-widget";
  /** Stock that never runs out during a bench run. */
  static final long UNLIMITED_STOCK = 2_000_000_000L;

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

  /**
   * Writes a seed catalogue ({@code INVENTORY_SEED_FILE}) into the run's folder: {@code unlimited}
   * products whose stock never runs out, then {@code others} (JSON objects) as they are; returns its path.
   */
  Path unlimitedCatalogue(String fileName, List<String> unlimited, String... others) {
    List<String> entries = new java.util.ArrayList<>();
    for (String id : unlimited) {
      entries.add("{\"productId\": \"" + id + "\", \"name\": \"Benchmark " + id + "\", \"price\": 1.0, \"stock\": " + UNLIMITED_STOCK + "}");
    }
    entries.addAll(List.of(others));
    Path seed = workDir.resolve(fileName);
    try {
      Files.writeString(seed, entries.stream().collect(Collectors.joining(",\n ", "[", "]\n")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return seed;
  }

  /**
   * The processes whose CPU a benchmark reports, by name: each service instance ({@code order},
   * {@code inventory}, {@code inventory-2}, ...), the collector, Kafka and ClickHouse.
   */
  Map<String, Long> pids(List<JvmInstance> services, JvmInstance collector) {
    Map<String, Long> pids = new LinkedHashMap<>();
    services.forEach(s -> pids.put(s.name(), s.pid()));
    pids.put("collector", collector.pid());
    pids.put("kafka", kafkaPid());
    pids.put("clickhouse", clickHousePid());
    return pids;
  }

  /** CPU seconds of the services (every order and inventory instance) in a {@link #pids} measurement. */
  static double serviceCpu(Map<String, Double> cpu) {
    return cpu.entrySet().stream().filter(e -> e.getKey().startsWith("order") || e.getKey().startsWith("inventory"))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  /** CPU seconds of the pipeline the services' telemetry costs (collector, Kafka, ClickHouse) in a {@link #pids} measurement. */
  static double pipelineCpu(Map<String, Double> cpu) {
    return cpu.get("collector") + cpu.get("kafka") + cpu.get("clickhouse");
  }

  /** {@code POST /order-product} for one unit of {@code productId} at order's {@code orderUrl} (its {@code /order-product}). */
  static HttpRequest orderRequest(String orderUrl, String productId) {
    return HttpRequest.newBuilder(URI.create(orderUrl)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":\"" + productId + "\",\"quantity\":1}")).build();
  }

  /**
   * The environment that points the services at private copies of the business and state topics
   * (names ending with {@code suffix}) and a private inventory consumer group: a benchmark that needs
   * its own catalogue or history starts from empty topics, whatever the benchmarks before it wrote.
   */
  static Map<String, String> privateTopics(String suffix) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STOCK_REDUCTIONS_TOPIC", Topics.STOCK_REDUCTIONS + suffix);
    env.put("STOCK_REDUCTION_RESULTS_TOPIC", Topics.STOCK_REDUCTION_RESULTS + suffix);
    env.put("STOCK_RESTOCKS_TOPIC", Topics.STOCK_RESTOCKS + suffix);
    env.put("INVENTORY_STOCK_TOPIC", Topics.INVENTORY_STOCK + suffix);
    env.put("INVENTORY_DECISIONS_TOPIC", Topics.INVENTORY_DECISIONS + suffix);
    env.put("INVENTORY_CONSUMER_GROUP", "inventory" + suffix);
    return env;
  }

  /**
   * One more instance of a service ({@code ORDER} or {@code INVENTORY}: the stack's next index, {@code inventory-2}, ...,
   * as {@code ./stack up --scale} starts them); returns once healthy.
   */
  JvmInstance startService(Role role, Map<String, String> env) {
    if (role != Role.ORDER && role != Role.INVENTORY) {
      throw new IllegalArgumentException(role.id() + " is not a service");
    }
    return stack.start(role, env);
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
