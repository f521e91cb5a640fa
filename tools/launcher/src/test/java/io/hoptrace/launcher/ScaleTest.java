package io.hoptrace.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.config.Env;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --scale}: its syntax, the errors that name bad input, and the stack it plans (ports, who talks to whom). */
class ScaleTest {
  @TempDir Path data;

  @Test
  void countsPerRoleAndTheStartOrder() {
    Scale s = Scale.parse(" inventory=3, order=2,receiver=2,ingester=2 ", "--scale");
    assertThat(s.count(Role.INVENTORY)).isEqualTo(3);
    assertThat(s.count(Role.QUERY)).isEqualTo(1);
    assertThat(s.splitsCollector()).isTrue();
    assertThat(s.system()).containsExactly(Role.KAFKA, Role.CLICKHOUSE, Role.RECEIVER, Role.RECEIVER, Role.INGESTER, Role.INGESTER,
        Role.QUERY, Role.INVENTORY, Role.INVENTORY, Role.INVENTORY, Role.ORDER, Role.ORDER);
    assertThat(s.toString()).as("in start order").isEqualTo("receiver=2,ingester=2,inventory=3,order=2");
    assertThat(Scale.parse("order=2", "--scale").system()).as("services only: the collector stays whole")
        .containsExactly(Role.KAFKA, Role.CLICKHOUSE, Role.COLLECTOR, Role.INVENTORY, Role.ORDER, Role.ORDER);
    assertThat(Scale.parse("", "HOPTRACE_SCALE").system()).isEqualTo(Stack.SYSTEM);
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> Scale.parse("order=two", "--scale")).hasMessage("--scale: order=two is not a number of instances (1 to 9)");
    assertThatThrownBy(() -> Scale.parse("order=0", "--scale")).hasMessage("--scale: order=0 is out of range: 1 to 9 instances");
    assertThatThrownBy(() -> Scale.parse("order=10", "--scale")).hasMessage("--scale: order=10 is out of range: 1 to 9 instances");
    assertThatThrownBy(() -> Scale.parse("order", "--scale")).hasMessage("--scale: 'order' is not ROLE=COUNT (e.g. --scale order=2,receiver=2)");
    assertThatThrownBy(() -> Scale.parse("clickhouse=2", "HOPTRACE_SCALE"))
        .hasMessage("HOPTRACE_SCALE: 'clickhouse' cannot be scaled; roles: inventory, order, receiver, ingester");
    assertThatThrownBy(() -> Scale.parse("kafka=3", "--scale")).hasMessageContaining("HOPTRACE_KAFKA_BROKERS=3");
    assertThatThrownBy(() -> Scale.parse("order=2,order=3", "--scale")).hasMessage("--scale: order is named twice");
  }

  @Test
  void everyInstanceHasPortsOfItsOwnAndServicesSpreadOverReceivers() {
    Stack stack = new Stack(LaunchConfig.privateStack(data, data, Env.of(Map.of("HOPTRACE_KAFKA_BROKERS", "3"))), Progress.SILENT);
    List<Instance> planned = stack.plan(Scale.parse("receiver=2,ingester=2,order=2,inventory=2", "--scale").system());
    assertThat(planned).extracting(Instance::name).containsExactly("kafka", "clickhouse", "receiver", "receiver-2", "ingester",
        "ingester-2", "query", "inventory", "inventory-2", "order", "order-2");
    Set<Integer> ports = new HashSet<>();
    for (Instance i : planned) {
      i.ports().values().forEach(p -> assertThat(ports.add(p)).as(i.name() + " port " + p + " taken twice").isTrue());
    }
    assertThat(stack.kafka().bootstrapServers().split(",")).as("three brokers, all in the bootstrap list").hasSize(3);
    List<Instance> receivers = stack.all(Role.RECEIVER);
    List<Instance> inventories = stack.all(Role.INVENTORY);
    JvmInstance order1 = (JvmInstance) stack.all(Role.ORDER).get(0);
    JvmInstance order2 = (JvmInstance) stack.all(Role.ORDER).get(1);
    assertThat(order1.env()).containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", ((JvmInstance) receivers.get(0)).url())
        .containsEntry("INVENTORY_URL", ((JvmInstance) inventories.get(0)).url());
    assertThat(order2.env()).containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", ((JvmInstance) receivers.get(1)).url())
        .containsEntry("INVENTORY_URL", ((JvmInstance) inventories.get(1)).url());
    assertThat(order2.env().get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(stack.kafka().bootstrapServers());
  }
}
