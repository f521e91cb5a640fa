package io.hoptrace.faults.stack;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouseConfig;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import io.hoptrace.kafka.embedded.EmbeddedKafka;
import io.hoptrace.kafka.embedded.EmbeddedKafkaConfig;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Ports;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole system on free ports and a private data folder (never those of a running {@code ./stack
 * up}): a real Kafka and ClickHouse, the collector as two processes (receiver, ingester, so either can
 * die alone), inventory and order. Every part can be killed and started again.
 */
public final class FaultStack implements AutoCloseable {
  public static final String DATABASE = "otel";

  private final Path dir;
  private final PrintStream out;
  private final EmbeddedKafka kafka;
  private final EmbeddedClickHouse clickHouse;
  private final ClickHouseSettings clickHouseSettings;
  private final ServiceProcess receiver;
  private final ServiceProcess ingester;
  private final ServiceProcess inventory;
  private final ServiceProcess order;
  private final int otlpHttpPort;
  private final int otlpGrpcPort;
  private final int orderPort;
  private final int inventoryPort;
  private final List<ServiceProcess> started = new ArrayList<>();

  private FaultStack(Path home, Path dir, String heap, Map<String, Integer> catalogue, PrintStream out) {
    this.dir = dir;
    this.out = out;
    Path logs = dir.resolve("logs");
    out.println("==> starting a private Kafka, ClickHouse, collector (receiver + ingester), inventory and order in " + dir);
    kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.forTests(dir.resolve("kafka"), Ports.freePort(), Ports.freePort()));
    try {
      clickHouse = EmbeddedClickHouse.start(EmbeddedClickHouseConfig.forTests(dir.resolve("clickhouse"), Ports.freePort(), Ports.freePort()));
    } catch (RuntimeException e) {
      kafka.stop();
      throw e;
    }
    clickHouseSettings = new ClickHouseSettings(clickHouse.httpUrl(), "default", "", DATABASE);
    otlpHttpPort = Ports.freePort();
    otlpGrpcPort = Ports.freePort();
    orderPort = Ports.freePort();
    inventoryPort = Ports.freePort();
    int receiverHealth = Ports.freePort();
    int ingesterHealth = Ports.freePort();

    Map<String, String> collector = new HashMap<>();
    collector.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    collector.put("CLICKHOUSE_URL", clickHouse.httpUrl());
    collector.put("CLICKHOUSE_DATABASE", DATABASE);
    collector.put("COLLECTOR_SELF_METRICS_INTERVAL", "0"); // count only what the load generators send
    Map<String, String> receiverEnv = new HashMap<>(collector);
    receiverEnv.put("COLLECTOR_OTLP_HTTP_PORT", Integer.toString(otlpHttpPort));
    receiverEnv.put("COLLECTOR_OTLP_GRPC_PORT", Integer.toString(otlpGrpcPort));
    receiverEnv.put("COLLECTOR_HEALTH_PORT", Integer.toString(receiverHealth));
    Map<String, String> ingesterEnv = new HashMap<>(collector);
    ingesterEnv.put("COLLECTOR_OTLP_HTTP_PORT", Integer.toString(Ports.freePort()));
    ingesterEnv.put("COLLECTOR_OTLP_GRPC_PORT", Integer.toString(Ports.freePort()));
    ingesterEnv.put("COLLECTOR_HEALTH_PORT", Integer.toString(ingesterHealth));
    receiver = new ServiceProcess("receiver", home, "collector/app/target/collector.jar", "io.hoptrace.collector.CollectorMain", List.of("--roles", "receiver"),
        receiverEnv, "http://127.0.0.1:" + receiverHealth + "/", heap, logs);
    ingester = new ServiceProcess("ingester", home, "collector/app/target/collector.jar", "io.hoptrace.collector.CollectorMain", List.of("--roles", "ingester"),
        ingesterEnv, "http://127.0.0.1:" + ingesterHealth + "/", heap, logs);

    Path seed = dir.resolve("catalogue.json");
    writeCatalogue(seed, catalogue);
    Map<String, String> services = new HashMap<>();
    services.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    services.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + otlpHttpPort);
    services.put("INVENTORY_SEED_FILE", seed.toString());
    Map<String, String> inventoryEnv = new HashMap<>(services);
    inventoryEnv.put("OTEL_SERVICE_NAME", "inventory");
    inventoryEnv.put("INVENTORY_HTTP_HOST", "127.0.0.1");
    inventoryEnv.put("INVENTORY_HTTP_PORT", Integer.toString(inventoryPort));
    Map<String, String> orderEnv = new HashMap<>(services);
    orderEnv.put("OTEL_SERVICE_NAME", "order");
    orderEnv.put("ORDER_HTTP_HOST", "127.0.0.1");
    orderEnv.put("ORDER_HTTP_PORT", Integer.toString(orderPort));
    orderEnv.put("INVENTORY_URL", "http://127.0.0.1:" + inventoryPort);
    inventory = new ServiceProcess("inventory", home, "inventory-verticle/target/inventory-verticle.jar", "io.hoptrace.inventory.InventoryMain", List.of(),
        inventoryEnv, "http://127.0.0.1:" + inventoryPort + "/health", heap, logs);
    order = new ServiceProcess("order", home, "order-verticle/target/order-verticle.jar", "io.hoptrace.order.OrderMain", List.of(),
        orderEnv, "http://127.0.0.1:" + orderPort + "/health", heap, logs);
  }

  /**
   * Starts everything in order (each healthy before the next).
   *
   * @param catalogue productId -> initial stock, seeded into inventory
   */
  public static FaultStack start(Path home, Path dir, String heap, Map<String, Integer> catalogue, PrintStream out) {
    FaultStack stack = new FaultStack(home, dir, heap, catalogue, out);
    try {
      new SchemaMigrator(stack.clickHouseSettings, RetentionConfig.DEFAULT).migrate();
      TopicSetup.ensure(stack.kafka.bootstrapServers(), Topics.all());
      for (ServiceProcess p : List.of(stack.receiver, stack.ingester, stack.inventory, stack.order)) {
        out.println("==> starting " + p.name());
        stack.started.add(p);
        p.start();
      }
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private static void writeCatalogue(Path file, Map<String, Integer> catalogue) {
    StringBuilder sb = new StringBuilder("[");
    for (Map.Entry<String, Integer> p : catalogue.entrySet()) {
      sb.append(sb.length() > 1 ? "," : "").append("{\"productId\":\"").append(p.getKey()).append("\",\"name\":\"")
          .append(p.getKey()).append("\",\"price\":9.5,\"stock\":").append(p.getValue()).append('}');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, sb.append(']').toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public EmbeddedClickHouse clickHouse() {
    return clickHouse;
  }

  public ClickHouseSettings clickHouseSettings() {
    return clickHouseSettings;
  }

  public ServiceProcess receiver() {
    return receiver;
  }

  public ServiceProcess ingester() {
    return ingester;
  }

  public ServiceProcess inventory() {
    return inventory;
  }

  public ServiceProcess order() {
    return order;
  }

  public String otlpHttpUrl() {
    return "http://127.0.0.1:" + otlpHttpPort;
  }

  public int otlpGrpcPort() {
    return otlpGrpcPort;
  }

  public String orderUrl() {
    return "http://127.0.0.1:" + orderPort;
  }

  public String inventoryUrl() {
    return "http://127.0.0.1:" + inventoryPort;
  }

  public Path dir() {
    return dir;
  }

  /** Our four service processes by name, with their pids (for RSS and liveness). */
  public Map<String, ServiceProcess> services() {
    Map<String, ServiceProcess> m = new LinkedHashMap<>();
    for (ServiceProcess p : List.of(receiver, ingester, inventory, order)) {
      m.put(p.name(), p);
    }
    return m;
  }

  /** Stops everything, services first. */
  @Override
  public void close() {
    List<ServiceProcess> toStop = new ArrayList<>(started);
    java.util.Collections.reverse(toStop);
    for (ServiceProcess p : toStop) {
      try {
        p.stop();
      } catch (RuntimeException e) {
        out.println("error: stopping " + p.name() + ": " + e.getMessage());
      }
    }
    started.clear();
    clickHouse.stop();
    kafka.stop();
  }

  /** Removes the data folder (after a run whose logs nobody needs). */
  public void deleteData() {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
