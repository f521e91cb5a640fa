package io.hoptrace.bench;

import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Role;
import io.hoptrace.process.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Benchmark 7, inventory instances: closed-loop clients place {@code POST /order-product} for many
 * products spread evenly over the partitions of {@code stock-reductions} (stock that never runs
 * out), with 1, 2 and 3 inventory instances, each a process of its own as {@code ./stack up --scale
 * inventory=N} starts them (one consumer group: each instance decides the products of the
 * partitions it holds). One order instance takes every order. Per instance count: orders/s, orders/s
 * per partition, latency, and the CPU per order of the services, the pipeline (collector, Kafka,
 * ClickHouse) and the load generator, with each one's share of the machine: where the time goes.
 */
final class InventoryScale {
  /** More inventory instances than partitions stand by: 3, the partition count of {@code stock-reductions}. */
  static final int MAX_INSTANCES = Topics.stockReductions().partitions();

  record Options(int repeats, int seconds, int warmupSeconds, int clients, int productsPerPartition) {}

  /** One measurement with {@code instances} inventory processes. */
  record Measure(int repetition, int instances, OrderClients.Result load) {}

  private final BenchStack stack;
  private final Options options;
  private final Console console;

  InventoryScale(BenchStack stack, Options options, Console console) {
    this.stack = stack;
    this.options = options;
    this.console = console;
  }

  /** The partition a product's records go to: Kafka's default partitioner on the key, as order produces them. */
  static int partitionOf(String productId, int partitions) {
    return Utils.toPositive(Utils.murmur2(productId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** {@code perPartition} product ids in each of {@code partitions} partitions, interleaved (p0, p1, p2, p0, ...). */
  static List<String> productsPerPartition(int perPartition, int partitions) {
    List<List<String>> byPartition = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      byPartition.add(new ArrayList<>());
    }
    for (int i = 0; byPartition.stream().anyMatch(l -> l.size() < perPartition); i++) {
      String id = "scale-product-" + i;
      List<String> bucket = byPartition.get(partitionOf(id, partitions));
      if (bucket.size() < perPartition) {
        bucket.add(id);
      }
    }
    List<String> out = new ArrayList<>();
    for (int k = 0; k < perPartition; k++) {
      for (List<String> l : byPartition) {
        out.add(l.get(k));
      }
    }
    return out;
  }

  /** The instance counts of repetition {@code r}: up (1, 2, 3), then down, alternating, so a drift of the machine favours none. */
  static List<Integer> sequence(int repetition) {
    List<Integer> up = new ArrayList<>();
    for (int n = 1; n <= MAX_INSTANCES; n++) {
      up.add(n);
    }
    if (repetition % 2 == 0) {
      java.util.Collections.reverse(up);
    }
    return up;
  }

  Report.Section run() throws Exception {
    int partitions = Topics.stockReductions().partitions();
    List<String> products = productsPerPartition(options.productsPerPartition(), partitions);
    // private topics: the catalogue is seeded into empty partitions only, and earlier benchmarks filled the default ones
    Map<String, String> env = BenchStack.privateTopics("-scale-" + UUID.randomUUID().toString().substring(0, 6));
    Path seed = stack.unlimitedCatalogue("scale-catalogue.json", products);
    env.put("INVENTORY_SEED_FILE", seed.toString());
    String group = env.get("INVENTORY_CONSUMER_GROUP");
    String requests = env.get("STOCK_REDUCTIONS_TOPIC");
    ClickHouseHttp ch = new ClickHouseHttp(stack.clickHouseUrl());
    OrderClients clients = new OrderClients(false);
    List<Measure> measures = new ArrayList<>();
    try (JvmInstance collector = stack.startCollector(Map.of()); Admin admin = TopicSetup.admin(stack.kafkaBootstrapServers())) {
      List<JvmInstance> inventories = new ArrayList<>();
      JvmInstance order = null;
      try {
        inventories.add(stack.startService(Role.INVENTORY, env));
        order = stack.startService(Role.ORDER, env);
        String url = order.url() + "/order-product";
        for (int r = 1; r <= options.repeats(); r++) {
          for (int n : sequence(r)) {
            while (inventories.size() < n) {
              inventories.add(stack.startService(Role.INVENTORY, env));
            }
            while (inventories.size() > n) {
              inventories.remove(inventories.size() - 1).close();
            }
            awaitAssignment(admin, group, requests, partitions, n);
            // freshly started services compile their hot paths first: the first warm-up is twice as long
            int warmup = measures.isEmpty() ? 2 * options.warmupSeconds() : options.warmupSeconds();
            console.step(String.format(Locale.ROOT, "inventory-scale %d/%d, %d instance(s): warm-up (%d s, %d clients)", r, options.repeats(), n,
                warmup, options.clients()));
            List<JvmInstance> services = new ArrayList<>(inventories);
            services.add(0, order);
            Map<String, Long> pids = stack.pids(services, collector);
            clients.run(url, products, options.clients(), warmup, pids);
            Quiet.await(console, ch);
            OrderClients.Result l = clients.run(url, products, options.clients(), options.seconds(), pids);
            measures.add(new Measure(r, n, l));
            console.step(String.format(Locale.ROOT, "inventory-scale %d/%d, %d instance(s): %,.0f orders/s, p50 %.1f ms, p99 %.1f ms, %d not confirmed,"
                    + " services %.0f µs CPU/order, machine %.0f %% busy", r, options.repeats(), n, l.perSecond(), Stats.percentile(l.millis(), 50),
                Stats.percentile(l.millis(), 99), l.failed(), BenchStack.serviceCpu(l.cpu()) / l.orders() * 1e6,
                100 * l.machineCpuSeconds() / (l.seconds() * Runtime.getRuntime().availableProcessors())));
          }
        }
      } finally {
        // the services before the collector their telemetry goes to
        if (order != null) {
          order.close();
        }
        for (int i = inventories.size() - 1; i >= 0; i--) {
          inventories.get(i).close();
        }
      }
    }
    return section(options, products, partitions, Runtime.getRuntime().availableProcessors(), measures);
  }

  /**
   * Waits until the group has exactly {@code members} members, each holding partitions of {@code topic},
   * together all of them: a stopped instance leaves only when its session ends (static membership).
   */
  private void awaitAssignment(Admin admin, String group, String topic, int partitions, int members) {
    Poll.until(members + " inventory instance(s) holding the partitions of " + topic, Duration.ofSeconds(120), Duration.ofMillis(500), () -> {
      ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
      if (d.members().size() != members) {
        return false;
      }
      Set<Integer> held = new HashSet<>();
      for (MemberDescription m : d.members()) {
        Set<Integer> own = m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition)
            .collect(Collectors.toSet());
        if (own.isEmpty()) {
          return false;
        }
        held.addAll(own);
      }
      return held.size() == partitions;
    });
  }

  private static double perOrderMicros(double cpuSeconds, OrderClients.Result l) {
    return cpuSeconds / l.orders() * 1e6;
  }

  /** Orders/s of each partition in one measurement (its products' confirmed orders). */
  static double[] perPartition(OrderClients.Result l, List<String> products, int partitions) {
    double[] rate = new double[partitions];
    for (int i = 0; i < products.size(); i++) {
      rate[partitionOf(products.get(i), partitions)] += l.perProduct()[i] / l.seconds();
    }
    return rate;
  }

  /** Share of the machine ({@code cores} over the measured time) a CPU time is. */
  private static double share(double cpuSeconds, OrderClients.Result l, int cores) {
    return cpuSeconds / (l.seconds() * cores);
  }

  static Report.Section section(Options options, List<String> products, int partitions, int cores, List<Measure> measures) {
    List<Report.Row> rows = new ArrayList<>();
    Map<String, List<Double>> raw = new LinkedHashMap<>();
    List<Integer> counts = measures.stream().map(Measure::instances).distinct().sorted().toList();
    List<String> where = new ArrayList<>();
    for (int n : counts) {
      List<Measure> ms = measures.stream().filter(m -> m.instances() == n).toList();
      String label = n + (n == 1 ? " inventory instance" : " inventory instances");
      Stats rate = Stats.of(ms.stream().map(m -> m.load().perSecond()).toList());
      List<Double> ratios = new ArrayList<>();
      for (Measure m : ms) {
        measures.stream().filter(o -> o.instances() == 1 && o.repetition() == m.repetition()).findFirst()
            .ifPresent(one -> ratios.add(m.load().perSecond() / one.load().perSecond()));
      }
      List<Measure> ones = measures.stream().filter(m -> m.instances() == 1).toList();
      boolean compared = n != 1 && !ratios.isEmpty();
      rows.add(new Report.Row(label + ": orders/s", rate.format("%,.0f"),
          compared ? Stats.of(ones.stream().map(m -> m.load().perSecond()).toList()).format("%,.0f") + " (1 instance)" : "",
          compared ? Stats.of(ratios).format("%.2f") : "", "", null));
      Stats perPartition = Stats.of(ms.stream().map(m -> m.load().perSecond() / partitions).toList());
      Stats slowest = Stats.of(ms.stream().map(m -> java.util.Arrays.stream(perPartition(m.load(), products, partitions)).min().orElse(0)).toList());
      rows.add(Report.Row.info(label + ": orders/s per inventory partition (mean of " + partitions + " / least-served partition)",
          perPartition.format("%,.0f") + " / " + slowest.format("%,.0f")));
      rows.add(Report.Row.info(label + ": p50 / p99 latency", Stats.of(ms.stream().map(m -> Stats.percentile(m.load().millis(), 50)).toList())
          .format("%.1f") + " ms / " + Stats.of(ms.stream().map(m -> Stats.percentile(m.load().millis(), 99)).toList()).format("%.1f") + " ms"));
      Stats service = Stats.of(ms.stream().map(m -> perOrderMicros(BenchStack.serviceCpu(m.load().cpu()), m.load())).toList());
      Stats pipeline = Stats.of(ms.stream().map(m -> perOrderMicros(BenchStack.pipelineCpu(m.load().cpu()), m.load())).toList());
      Stats generator = Stats.of(ms.stream().map(m -> perOrderMicros(m.load().cpu().get(OrderClients.LOAD_GENERATOR), m.load())).toList());
      rows.add(Report.Row.info(label + ": CPU per order, order + inventory / collector + Kafka + ClickHouse / load generator",
          service.format("%,.0f") + " µs / " + pipeline.format("%,.0f") + " µs / " + generator.format("%,.0f") + " µs"));
      // where the time goes: each part's share of the machine, median over the repetitions
      Map<String, Double> shares = new LinkedHashMap<>();
      shares.put("order", median(ms, m -> share(sum(m.load().cpu(), "order"), m.load(), cores)));
      shares.put("inventory", median(ms, m -> share(sum(m.load().cpu(), "inventory"), m.load(), cores)));
      shares.put("collector", median(ms, m -> share(m.load().cpu().get("collector"), m.load(), cores)));
      shares.put("Kafka", median(ms, m -> share(m.load().cpu().get("kafka"), m.load(), cores)));
      shares.put("ClickHouse", median(ms, m -> share(m.load().cpu().get("clickhouse"), m.load(), cores)));
      shares.put("load generator", median(ms, m -> share(m.load().cpu().get(OrderClients.LOAD_GENERATOR), m.load(), cores)));
      shares.put("other processes", median(ms, m -> share(m.load().cpu().get("others"), m.load(), cores)));
      double busy = median(ms, m -> share(m.load().machineCpuSeconds(), m.load(), cores));
      String split = shares.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100 * e.getValue()))
          .collect(Collectors.joining(", "));
      rows.add(Report.Row.info(String.format(Locale.ROOT, "%s: share of the %d cores used", label, cores),
          String.format(Locale.ROOT, "%.0f %% busy: %s", 100 * busy, split)));
      double others = shares.remove("other processes");
      String largest = shares.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
      where.add(String.format(Locale.ROOT, "- %s: the machine was %.0f %% busy, other processes than this benchmark's %.0f %%%s; of this "
              + "benchmark's processes %s took the largest share (%.0f %% of the machine)%s.", label, 100 * busy, 100 * others,
          others > Quiet.MAX_OTHERS_SHARE ? " (disturbed: more than " + Math.round(100 * Quiet.MAX_OTHERS_SHARE) + " %)" : "",
          largest, 100 * shares.getOrDefault(largest, 0.0), busy >= 0.9 ? "; the cores were the limit, not the partitions" : ""));
      raw.put("orders/s, " + label, ms.stream().map(m -> m.load().perSecond()).toList());
      raw.put("service CPU µs/order, " + label, ms.stream().map(m -> perOrderMicros(BenchStack.serviceCpu(m.load().cpu()), m.load())).toList());
      raw.put("pipeline CPU µs/order, " + label, ms.stream().map(m -> perOrderMicros(BenchStack.pipelineCpu(m.load().cpu()), m.load())).toList());
      raw.put("machine busy share, " + label, ms.stream().map(m -> share(m.load().machineCpuSeconds(), m.load(), cores)).toList());
    }
    long failed = measures.stream().mapToLong(m -> m.load().failed()).sum();
    rows.add(Report.Row.info("orders not confirmed (all runs)", Long.toString(failed)));
    List<String> details = new ArrayList<>();
    details.add("Where the time goes (CPU of each process over the measured time, as a share of all " + cores + " cores):");
    details.add("");
    details.addAll(where);
    details.add("");
    details.add("| repetition | instances | orders | orders/s | orders/s per partition | p50 ms | p99 ms | not confirmed | services µs/order "
        + "| pipeline µs/order | machine busy | others' CPU s |");
    details.add("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Measure m : measures) {
      OrderClients.Result l = m.load();
      String parts = java.util.Arrays.stream(perPartition(l, products, partitions)).mapToObj(v -> String.format(Locale.ROOT, "%,.0f", v))
          .collect(Collectors.joining(" / "));
      details.add(String.format(Locale.ROOT, "| %d | %d | %,d | %,.0f | %s | %.1f | %.1f | %d | %,.0f | %,.0f | %.0f %% | %.1f |", m.repetition(),
          m.instances(), l.orders(), l.perSecond(), parts, Stats.percentile(l.millis(), 50), Stats.percentile(l.millis(), 99), l.failed(),
          perOrderMicros(BenchStack.serviceCpu(l.cpu()), l), perOrderMicros(BenchStack.pipelineCpu(l.cpu()), l),
          100 * share(l.machineCpuSeconds(), l, cores), l.cpu().get("others")));
    }
    return new Report.Section("7. Inventory instances", List.of(String.format(Locale.ROOT,
        "%d closed-loop clients (Java HttpClient, one connection each) placing `POST /order-product` on one order instance, cycling through "
            + "%d products, %d in each of the %d partitions of `stock-reductions` (stock that never runs out; private topics), telemetry on, "
            + "with 1 to %d inventory instances, each a process of its own as `./stack up --scale inventory=N` starts them (one consumer "
            + "group: each instance decides the products of the partitions it holds). Per instance count: once every instance holds "
            + "partitions, a %d s warm-up (twice that before the first), then %d s measured; instances are added and stopped in turn (up, then down, alternating over "
            + "%d repetitions). Orders/s per partition: the confirmed orders of the partition's products per second. CPU from /proc: the "
            + "services (order and every inventory instance), the pipeline their telemetry costs (collector, Kafka, ClickHouse), this "
            + "load generator, and everything else on the machine.",
        options.clients(), products.size(), options.productsPerPartition(), partitions, MAX_INSTANCES, options.warmupSeconds(), options.seconds(),
        options.repeats())), rows, details, raw);
  }

  private static double sum(Map<String, Double> cpu, String prefix) {
    return cpu.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
  }

  private static double median(List<Measure> ms, java.util.function.ToDoubleFunction<Measure> f) {
    return Stats.of(ms.stream().map(m -> f.applyAsDouble(m)).toList()).median();
  }
}
