package io.hoptrace.bench;

import io.hoptrace.launcher.JvmInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 6, an order's latency and a hot product: closed-loop clients placing
 * {@code POST /order-product} for one product (its stock never runs out), first one client, then
 * {@link Goals#HOT_CLIENTS} at once: every order crosses both Kafka hops in transactions and is
 * decided by the one inventory thread that owns the product's partition. In the same run, on the same
 * broker, the floor: a transactional producer → {@code read_committed} consumer round trip, which
 * each order pays twice.
 */
final class OrderLatency {
  record Options(int repeats, int seconds, int warmupSeconds) {}

  private final BenchStack stack;
  private final Options options;
  private final Console console;
  /** Orders per load whose spans are read for the breakdown of where the time goes (spread over the run). */
  private static final int TRACED = 300;
  /** The tail whose spans are read too: where the p99's time goes. */
  private static final double SLOWEST_PERCENT = 1;

  private final OrderClients clients = new OrderClients(true);

  OrderLatency(BenchStack stack, Options options, Console console) {
    this.stack = stack;
    this.options = options;
    this.console = console;
  }

  Report.Section run() throws Exception {
    Path seed = stack.unlimitedCatalogue("bench-catalogue.json", List.of(BenchStack.PRODUCT));
    ClickHouseHttp ch = new ClickHouseHttp(stack.clickHouseUrl());
    List<KafkaRoundTrip.Times> plain = new ArrayList<>();
    List<KafkaRoundTrip.Times> tx = new ArrayList<>();
    List<OrderClients.Result> one = new ArrayList<>();
    List<OrderClients.Result> hot = new ArrayList<>();
    List<Map<String, Double>> oneSpans = new ArrayList<>();
    List<Map<String, Double>> hotSpans = new ArrayList<>();
    List<Map<String, Double>> hotTailSpans = new ArrayList<>();
    try (JvmInstance collector = stack.startCollector(Map.of());
        BenchStack.Services services = stack.startServices(Map.of("INVENTORY_SEED_FILE", seed.toString()))) {
      Map<String, Long> pids = stack.pids(List.of(services.order(), services.inventory()), collector);
      String url = services.order().url() + "/order-product";
      console.step("orders: warm-up (" + options.warmupSeconds() + " s, " + Goals.HOT_CLIENTS + " clients)");
      closedLoop(url, Goals.HOT_CLIENTS, options.warmupSeconds(), pids);
      for (int r = 1; r <= options.repeats(); r++) {
        Quiet.await(console, ch);
        plain.add(KafkaRoundTrip.measure(stack.kafkaBootstrapServers(), false, 300));
        tx.add(KafkaRoundTrip.measure(stack.kafkaBootstrapServers(), true, 300));
        one.add(closedLoop(url, 1, options.seconds(), pids));
        hot.add(closedLoop(url, Goals.HOT_CLIENTS, options.seconds(), pids));
        OrderClients.Result o = one.get(r - 1);
        OrderClients.Result h = hot.get(r - 1);
        oneSpans.add(OrderSpans.medians(ch, stack.database(), o.sample(TRACED), o.latencyByTrace(), Duration.ofSeconds(30)));
        hotSpans.add(OrderSpans.medians(ch, stack.database(), h.sample(TRACED), h.latencyByTrace(), Duration.ofSeconds(30)));
        hotTailSpans.add(OrderSpans.medians(ch, stack.database(), h.slowest(SLOWEST_PERCENT), h.latencyByTrace(), Duration.ofSeconds(30)));
        console.step("orders " + r + ": where the time goes (median ms), one client: " + OrderSpans.format(oneSpans.get(r - 1)));
        console.step("orders " + r + ": where the time goes (median ms), " + Goals.HOT_CLIENTS + " clients: " + OrderSpans.format(hotSpans.get(r - 1)));
        console.step("orders " + r + ": where the time goes (median ms), " + Goals.HOT_CLIENTS + " clients' slowest " + SLOWEST_PERCENT + " %: "
            + OrderSpans.format(hotTailSpans.get(r - 1)));
        console.step(String.format(Locale.ROOT, "orders %d/%d: Kafka round trip p50 %.2f ms (transactional %.2f ms); one client p50 %.1f ms p99 %.1f ms;"
                + " %d clients %,.0f orders/s p50 %.1f ms p99 %.1f ms", r, options.repeats(), plain.get(r - 1).p50(), tx.get(r - 1).p50(),
            p(one.get(r - 1), 50), p(one.get(r - 1), 99), Goals.HOT_CLIENTS, hot.get(r - 1).perSecond(), p(hot.get(r - 1), 50), p(hot.get(r - 1), 99)));
      }
    }
    return section(plain, tx, one, hot, oneSpans, hotSpans, hotTailSpans);
  }

  private static double p(OrderClients.Result l, double pct) {
    return Stats.percentile(l.millis(), pct);
  }

  private OrderClients.Result closedLoop(String url, int n, int seconds, Map<String, Long> pids) throws Exception {
    return clients.run(url, List.of(BenchStack.PRODUCT), n, seconds, pids);
  }

  private Report.Section section(List<KafkaRoundTrip.Times> plain, List<KafkaRoundTrip.Times> tx, List<OrderClients.Result> one,
      List<OrderClients.Result> hot, List<Map<String, Double>> oneSpans, List<Map<String, Double>> hotSpans,
      List<Map<String, Double>> hotTailSpans) {
    Stats plain50 = Stats.of(plain.stream().map(KafkaRoundTrip.Times::p50).toList());
    Stats tx50 = Stats.of(tx.stream().map(KafkaRoundTrip.Times::p50).toList());
    Stats tx99 = Stats.of(tx.stream().map(KafkaRoundTrip.Times::p99).toList());
    Stats one50 = Stats.of(one.stream().map(l -> p(l, 50)).toList());
    Stats one99 = Stats.of(one.stream().map(l -> p(l, 99)).toList());
    Stats hotRate = Stats.of(hot.stream().map(OrderClients.Result::perSecond).toList());
    Stats hot50 = Stats.of(hot.stream().map(l -> p(l, 50)).toList());
    Stats hot99 = Stats.of(hot.stream().map(l -> p(l, 99)).toList());
    Stats serviceCpu = Stats.of(hot.stream().map(l -> (l.cpu().get("order") + l.cpu().get("inventory")) / l.orders() * 1e6).toList());
    Stats pipelineCpu = Stats.of(hot.stream().map(l -> (l.cpu().get("collector") + l.cpu().get("kafka") + l.cpu().get("clickhouse")) / l.orders() * 1e6).toList());
    long failed = one.stream().mapToLong(OrderClients.Result::failed).sum() + hot.stream().mapToLong(OrderClients.Result::failed).sum();
    List<Report.Row> rows = new ArrayList<>(List.of(
        new Report.Row("one client: p50 latency", one50.format("%.1f") + " ms", String.format(Locale.ROOT, "%.1f ms (two transactional Kafka round trips)",
            2 * tx50.median()), String.format(Locale.ROOT, "%.1f", one50.median() / (2 * tx50.median())),
            String.format(Locale.ROOT, "≤ %.0f ms", Goals.ONE_CLIENT_P50_MS), one50.median() <= Goals.ONE_CLIENT_P50_MS),
        new Report.Row("one client: p99 latency", one99.format("%.1f") + " ms", "", "", String.format(Locale.ROOT, "≤ %.0f ms", Goals.ONE_CLIENT_P99_MS),
            one99.median() <= Goals.ONE_CLIENT_P99_MS),
        new Report.Row(Goals.HOT_CLIENTS + " clients, the same product: orders/s", hotRate.format("%,.0f"), "", "",
            String.format(Locale.ROOT, "≥ %,.0f", Goals.HOT_ORDERS_PER_SECOND), hotRate.median() >= Goals.HOT_ORDERS_PER_SECOND),
        new Report.Row(Goals.HOT_CLIENTS + " clients, the same product: p99 latency", hot99.format("%.1f") + " ms", "", "",
            String.format(Locale.ROOT, "≤ %.0f ms", Goals.HOT_P99_MS), hot99.median() <= Goals.HOT_P99_MS),
        Report.Row.info(Goals.HOT_CLIENTS + " clients, the same product: p50 latency", hot50.format("%.1f") + " ms"),
        Report.Row.info("Kafka round trip, acks=all, one record (p50)", plain50.format("%.2f") + " ms"),
        Report.Row.info("Kafka round trip, one record per transaction, read_committed (p50 / p99)", tx50.format("%.2f") + " ms / " + tx99.format("%.2f") + " ms"),
        Report.Row.info("CPU per order of order + inventory / collector + Kafka + ClickHouse (" + Goals.HOT_CLIENTS + " clients)",
            serviceCpu.format("%,.0f") + " µs / " + pipelineCpu.format("%,.0f") + " µs"),
        Report.Row.info("orders not confirmed (all runs)", Long.toString(failed))));
    Map<String, List<Double>> raw = new LinkedHashMap<>();
    raw.put("kafka round trip p50 ms", plain.stream().map(KafkaRoundTrip.Times::p50).toList());
    raw.put("kafka transactional round trip p50 ms", tx.stream().map(KafkaRoundTrip.Times::p50).toList());
    raw.put("kafka transactional round trip p99 ms", tx.stream().map(KafkaRoundTrip.Times::p99).toList());
    raw.put("one client p50 ms", one.stream().map(l -> p(l, 50)).toList());
    raw.put("one client p99 ms", one.stream().map(l -> p(l, 99)).toList());
    raw.put("one client orders/s", one.stream().map(OrderClients.Result::perSecond).toList());
    raw.put("hot orders/s", hot.stream().map(OrderClients.Result::perSecond).toList());
    raw.put("hot p50 ms", hot.stream().map(l -> p(l, 50)).toList());
    raw.put("hot p99 ms", hot.stream().map(l -> p(l, 99)).toList());
    raw.put("hot service CPU µs/order", hot.stream().map(l -> (l.cpu().get("order") + l.cpu().get("inventory")) / l.orders() * 1e6).toList());
    for (String segment : OrderSpans.SEGMENTS) {
      List<Double> o = oneSpans.stream().filter(m -> m.containsKey(segment)).map(m -> m.get(segment)).toList();
      List<Double> h = hotSpans.stream().filter(m -> m.containsKey(segment)).map(m -> m.get(segment)).toList();
      List<Double> t = hotTailSpans.stream().filter(m -> m.containsKey(segment)).map(m -> m.get(segment)).toList();
      if (!o.isEmpty() && !h.isEmpty() && !t.isEmpty()) {
        rows.add(Report.Row.info("span breakdown, median ms, one client / " + Goals.HOT_CLIENTS + " clients / their slowest "
            + (int) SLOWEST_PERCENT + " %: " + segment, Stats.of(o).format("%.1f") + " / " + Stats.of(h).format("%.1f") + " / "
            + Stats.of(t).format("%.1f")));
        raw.put("one client span ms: " + segment, o);
        raw.put("hot span ms: " + segment, h);
        raw.put("hot slowest " + (int) SLOWEST_PERCENT + " % span ms: " + segment, t);
      }
    }
    List<String> details = new ArrayList<>();
    details.add("| repetition | clients | orders | orders/s | p50 ms | p99 ms | not confirmed | others' CPU s |");
    details.add("|---|---|---|---|---|---|---|---|");
    for (int i = 0; i < one.size(); i++) {
      for (OrderClients.Result l : List.of(one.get(i), hot.get(i))) {
        details.add(String.format(Locale.ROOT, "| %d | %d | %,d | %,.0f | %.1f | %.1f | %d | %.1f |", i + 1, l.clients(), l.orders(), l.perSecond(),
            p(l, 50), p(l, 99), l.failed(), l.cpu().get("others")));
      }
    }
    return new Report.Section("6. Order latency and a hot product", List.of(String.format(Locale.ROOT,
        "Closed-loop clients (Java HttpClient, one connection each) placing `POST /order-product` for one product whose stock never runs out, "
            + "telemetry on (the default): one client for %d s, then %d clients for %d s, after a %d s warm-up; p50 and p99 of each "
            + "repetition, the table shows their median over %d repetitions. The floor, measured in the same repetition on the same broker: "
            + "300 records one at a time from an idempotent `acks=all` producer to a polling consumer, plainly and with one transaction per "
            + "record to a `read_committed` consumer; an order crosses two such hops. Where the time goes: the segments between the "
            + "timestamps of the order's spans in ClickHouse, median over %d orders spread over each load and over the slowest %d %% of "
            + "the %d clients' orders (the p99's tail), and the client's latency outside order's SERVER span.",
        options.seconds(), Goals.HOT_CLIENTS, options.seconds(), options.warmupSeconds(), options.repeats(), TRACED, (int) SLOWEST_PERCENT,
        Goals.HOT_CLIENTS)), rows, details, raw);
  }
}
