package io.hoptrace.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.config.Env;
import io.hoptrace.process.Ports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launcher decides before it starts anything: which ports each instance binds, and the
 * environment each process gets (where Kafka, ClickHouse, the receiver and inventory are).
 */
class StackPlanTest {
  @TempDir Path data;

  Stack privateStack() {
    return new Stack(LaunchConfig.privateStack(data, data, Env.of(Map.of())), Progress.SILENT);
  }

  @Test
  void theFirstInstanceTakesTheConfiguredPortAnyOtherAFreeOneAndKeepsIt() {
    int health = Ports.freePort();
    PortPlan plan = PortPlan.fromEnv(Env.of(Map.of("COLLECTOR_HEALTH_PORT", Integer.toString(health))));
    InstanceId receiver = InstanceId.first(Role.RECEIVER);
    InstanceId ingester = InstanceId.first(Role.INGESTER);

    assertThat(plan.port(receiver, Port.HEALTH)).isEqualTo(health);
    assertThat(plan.port(receiver, Port.OTLP_HTTP)).as("the default of an unset variable").isEqualTo(4318);
    int ingesterHealth = plan.port(ingester, Port.HEALTH);
    assertThat(ingesterHealth).isNotEqualTo(health).isNotEqualTo(Port.HEALTH.defaultPort());
    assertThat(plan.port(ingester, Port.HEALTH)).as("an instance keeps its ports").isEqualTo(ingesterHealth);
  }

  @Test
  void aPrivateStackNeverTakesAContractPortNorOneTwice() {
    PortPlan plan = PortPlan.free();
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (Role r : Role.values()) {
      for (Port p : r.ports()) {
        int n = plan.port(InstanceId.first(r), p);
        assertThat(n).as(r.id() + " " + p).isNotEqualTo(p.defaultPort());
        assertThat(seen.add(n)).as("port " + n + " handed out twice").isTrue();
      }
    }
  }

  @Test
  void everyProcessIsToldWhereEverythingIs() {
    Stack stack = privateStack();
    List<Instance> planned = stack.plan(Stack.SYSTEM_SPLIT);
    assertThat(planned).extracting(Instance::name).containsExactly("kafka", "clickhouse", "receiver", "ingester", "inventory", "order");
    String kafka = stack.kafka().bootstrapServers();
    String clickHouse = stack.clickHouse().settings().url();
    JvmInstance receiver = stack.jvm(Role.RECEIVER);
    JvmInstance ingester = stack.jvm(Role.INGESTER);
    JvmInstance inventory = stack.jvm(Role.INVENTORY);
    JvmInstance order = stack.jvm(Role.ORDER);

    for (JvmInstance collector : List.of(receiver, ingester)) {
      assertThat(collector.env()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", kafka).containsEntry("CLICKHOUSE_URL", clickHouse)
          .containsEntry("CLICKHOUSE_DATABASE", "otel")
          .containsEntry("COLLECTOR_HEALTH_PORT", Integer.toString(collector.ports().get(Port.HEALTH)))
          // the ingester's self-metrics go to the receiver
          .containsEntry("COLLECTOR_OTLP_HTTP_PORT", Integer.toString(receiver.ports().get(Port.OTLP_HTTP)));
    }
    assertThat(ingester.ports()).containsOnlyKeys(Port.HEALTH);
    assertThat(ingester.healthUrl()).isEqualTo("http://127.0.0.1:" + ingester.ports().get(Port.HEALTH) + "/");
    assertThat(inventory.env()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", kafka).containsEntry("OTEL_SERVICE_NAME", "inventory")
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url())
        .containsEntry("INVENTORY_HTTP_PORT", Integer.toString(inventory.ports().get(Port.INVENTORY_HTTP)));
    assertThat(order.env()).containsEntry("OTEL_SERVICE_NAME", "order").containsEntry("INVENTORY_URL", inventory.url())
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url());
    assertThat(order.healthUrl()).isEqualTo(order.url() + "/health");
    assertThat(receiver.heap()).as("HOPTRACE_COLLECTOR_HEAP's default").isEqualTo("768m");
    assertThat(order.heap()).as("HOPTRACE_SERVICE_HEAP's default").isEqualTo("384m");
  }

  @Test
  void perRoleSettingsAndTheUsersOwnEndpointsWin() {
    Map<String, String> env = new HashMap<>();
    env.put("HOPTRACE_HOME", data.toString());
    env.put("HOPTRACE_DATA_DIR", data.resolve("d").toString());
    env.put("KAFKA_BOOTSTRAP_SERVERS", "broker.example:9092");
    env.put("CLICKHOUSE_URL", "http://clickhouse.example:8123");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere.example:4318");
    env.put("OTEL_METRIC_EXPORT_INTERVAL", "2000");
    env.put("COLLECTOR_BATCH_ROWS", "5000");
    for (Port p : Port.values()) {
      env.put(p.envVar(), Integer.toString(Ports.freePort()));
    }
    LaunchConfig config = LaunchConfig.fromEnv(Env.of(env)).withHeap(Role.ORDER, "200m").withEnv(Role.INVENTORY, Map.of("INVENTORY_SEED_FILE", "/seed.json"));
    Stack stack = new Stack(config, Progress.SILENT);
    stack.plan(Stack.SYSTEM);

    assertThat(stack.kafka().ports()).as("an external Kafka binds nothing of ours").isEmpty();
    assertThat(stack.kafka().bootstrapServers()).isEqualTo("broker.example:9092");
    assertThat(stack.clickHouse().ports()).isEmpty();
    JvmInstance collector = stack.jvm(Role.COLLECTOR);
    assertThat(collector.env()).containsEntry("CLICKHOUSE_URL", "http://clickhouse.example:8123").containsEntry("COLLECTOR_BATCH_ROWS", "5000")
        .containsEntry("COLLECTOR_QUERY_PORT", env.get("COLLECTOR_QUERY_PORT"));
    assertThat(stack.jvm(Role.ORDER).env()).containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere.example:4318")
        .containsEntry("OTEL_METRIC_EXPORT_INTERVAL", "2000");
    assertThat(stack.jvm(Role.ORDER).heap()).isEqualTo("200m");
    assertThat(stack.jvm(Role.INVENTORY).env()).containsEntry("INVENTORY_SEED_FILE", "/seed.json");
    assertThat(stack.jvm(Role.INVENTORY).logFile()).isEqualTo(data.resolve("d/logs/inventory.log"));
  }

  @Test
  void aClickHousePasswordFromAFileReachesTheCollectorAsThePasswordAndTheFileVariableIsCleared() throws Exception {
    Path secret = Files.writeString(data.resolve("ch-password"), "s3cret\n");
    Map<String, String> env = new HashMap<>();
    env.put("HOPTRACE_HOME", data.toString());
    env.put("HOPTRACE_DATA_DIR", data.resolve("d").toString());
    env.put("CLICKHOUSE_URL", "http://clickhouse.example:8123");
    env.put("CLICKHOUSE_PASSWORD_FILE", secret.toString());
    Stack stack = new Stack(LaunchConfig.fromEnv(Env.of(env)), Progress.SILENT);
    stack.plan(Stack.SYSTEM);
    Map<String, String> child = new HashMap<>(env); // a child inherits the launcher's environment, then gets its own
    child.putAll(stack.jvm(Role.COLLECTOR).env());
    assertThat(io.hoptrace.clickhouse.ClickHouseSettings.fromEnv(Env.of(child)).password()).isEqualTo("s3cret");
  }

  @Test
  void aServiceWithoutACollectorIsRefusedRatherThanSendingToTheDefaultPort() {
    Stack stack = privateStack();
    assertThatThrownBy(() -> stack.plan(List.of(Role.KAFKA, Role.INVENTORY)))
        .hasMessageContaining("start a collector (or a receiver) before inventory");
    assertThat(stack.instances()).as("nothing half-planned is left").isEmpty();
  }

  @Test
  void aTakenPortIsNamedWithItsVariableBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Map<String, String> env = new HashMap<>();
      env.put("HOPTRACE_DATA_DIR", data.toString());
      for (Port p : Port.values()) {
        env.put(p.envVar(), Integer.toString(Ports.freePort()));
      }
      env.put("ORDER_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      Stack stack = new Stack(LaunchConfig.fromEnv(Env.of(env)), Progress.SILENT);

      assertThatThrownBy(() -> stack.start(Stack.SYSTEM)).isInstanceOf(Ports.PortInUseException.class)
          .hasMessageContaining("port " + taken.getLocalPort() + " (order HTTP) is already in use")
          .hasMessageContaining("ORDER_HTTP_PORT").hasMessageContaining("nothing was started");
      assertThat(stack.instances()).isEmpty();
      assertThat(Files.exists(data.resolve("kafka"))).isFalse();
    }
  }

  @Test
  void instancesAreNamedByRoleAndIndex() {
    assertThat(InstanceId.first(Role.INVENTORY).name()).isEqualTo("inventory");
    assertThat(new InstanceId(Role.INVENTORY, 3).name()).isEqualTo("inventory-3");
    assertThat(Role.of("Ingester")).isEqualTo(Role.INGESTER);
    assertThatThrownBy(() -> Role.of("broker")).hasMessageContaining("unknown part 'broker'").hasMessageContaining("kafka, clickhouse");
  }
}
