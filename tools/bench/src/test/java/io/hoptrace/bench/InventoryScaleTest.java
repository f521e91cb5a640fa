package io.hoptrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class InventoryScaleTest {
  @Test
  void productsAreSpreadEvenlyOverThePartitionsAsKafkaPartitionsTheirKeys() {
    List<String> products = InventoryScale.productsPerPartition(4, 3);
    assertEquals(12, products.size(), products.toString());
    assertEquals(12, new HashSet<>(products).size(), "no product twice: " + products);
    for (int i = 0; i < products.size(); i++) {
      // the producer's own choice for a keyed record: the partition order's request goes to
      int kafka = BuiltInPartitioner.partitionForKey(products.get(i).getBytes(StandardCharsets.UTF_8), 3);
      assertEquals(kafka, InventoryScale.partitionOf(products.get(i), 3), products.get(i));
      assertEquals(i % 3, kafka, "interleaved p0, p1, p2, ...: " + products);
    }
  }

  @Test
  void instanceCountsGoUpThenDownAlternately() {
    assertEquals(List.of(1, 2, 3), InventoryScale.sequence(1));
    assertEquals(List.of(3, 2, 1), InventoryScale.sequence(2));
    assertEquals(List.of(1, 2, 3), InventoryScale.sequence(3));
  }

  private static OrderClients.Result load(long orders, long[] perProduct, double order, double inventory, double pipelineEach, double machine) {
    Map<String, Double> cpu = new LinkedHashMap<>();
    cpu.put("order", order);
    cpu.put("inventory", inventory);
    cpu.put("collector", pipelineEach);
    cpu.put("kafka", pipelineEach);
    cpu.put("clickhouse", pipelineEach);
    cpu.put(OrderClients.LOAD_GENERATOR, 1.0);
    cpu.put("others", 0.6);
    return new OrderClients.Result(8, orders, 2, 10.0, new double[] {5, 10, 20}, new String[3], perProduct, cpu, machine);
  }

  @Test
  void reportsOrdersPerSecondPerInstanceCountAgainstOneInstanceWithCpuPerOrderAndWhereTheTimeGoes() {
    List<String> products = InventoryScale.productsPerPartition(1, 3);
    InventoryScale.Options options = new InventoryScale.Options(1, 10, 5, 8, 1);
    // 1 instance: 1,000 orders in 10 s; 2 instances (order, inventory, inventory-2): 1,500 orders, the machine 19 of 20 CPU-s busy
    OrderClients.Result one = load(1000, new long[] {400, 300, 300}, 4.0, 3.0, 1.0, 12.0);
    Map<String, Double> cpu2 = new LinkedHashMap<>(load(1500, new long[] {500, 500, 500}, 6.0, 2.0, 1.2, 19.0).cpu());
    cpu2.put("inventory-2", 3.0);
    OrderClients.Result two = new OrderClients.Result(8, 1500, 0, 10.0, new double[] {5, 10, 20}, new String[3], new long[] {500, 500, 500}, cpu2, 19.0);
    Report.Section s = InventoryScale.section(options, products, 3, 2,
        List.of(new InventoryScale.Measure(1, 1, one), new InventoryScale.Measure(1, 2, two)));

    Report.Row rate2 = row(s, "2 inventory instances: orders/s");
    assertEquals("150 (n=1)", rate2.value());
    assertEquals("100 (n=1) (1 instance)", rate2.baseline());
    assertEquals("1.50 (n=1)", rate2.ratio());
    assertNull(rate2.met(), "no goal: it is reported, not judged");
    assertEquals("", row(s, "1 inventory instance: orders/s").ratio());
    // mean of the 3 partitions / the least served one (300 orders in 10 s)
    assertEquals("33 (n=1) / 30 (n=1)", row(s, "1 inventory instance: orders/s per inventory partition (mean of 3 / least-served partition)").value());
    // services: (6 + 2 + 3) s / 1,500 orders = 7,333 µs; pipeline 3.6 s / 1,500 = 2,400 µs; load generator 1 s / 1,500 = 667 µs
    assertEquals("7,333 (n=1) µs / 2,400 (n=1) µs / 667 (n=1) µs",
        row(s, "2 inventory instances: CPU per order, order + inventory / collector + Kafka + ClickHouse / load generator").value());
    String shares = row(s, "2 inventory instances: share of the 2 cores used").value();
    assertTrue(shares.startsWith("95 % busy: order 30 %, inventory 25 %, collector 6 %, Kafka 6 %, ClickHouse 6 %, load generator 5 %, other processes 3 %"), shares);
    assertTrue(s.details().stream().anyMatch(d -> d.contains("2 inventory instances: the machine was 95 % busy, other processes than this benchmark's 3 %; of this benchmark's processes order took the largest share (30 %")
        && d.contains("the cores were the limit")), s.details().toString());
    assertTrue(s.details().stream().anyMatch(d -> d.contains("1 inventory instance: the machine was 60 % busy") && !d.contains("the cores were the limit") && !d.contains("disturbed")),
        s.details().toString());
    assertEquals("2", row(s, "orders not confirmed (all runs)").value());
    assertEquals(List.of(150.0), s.raw().get("orders/s, 2 inventory instances"));
  }

  static Report.Row row(Report.Section s, String figure) {
    return s.rows().stream().filter(r -> r.figure().equals(figure)).findFirst()
        .orElseThrow(() -> new AssertionError("no row '" + figure + "' in " + s.rows().stream().map(Report.Row::figure).toList()));
  }
}
