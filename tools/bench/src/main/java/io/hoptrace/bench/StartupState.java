package io.hoptrace.bench;

import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Benchmark 8, start-up with history: start-up time and heap of order and inventory with N orders of
 * history. For each N it fills private topics with N orders' records in the real formats (a
 * {@code stock-reductions} request, a {@code stock-reduction-results} answer and an
 * {@code inventory-decisions} decision per order, the {@code inventory-stock} catalogue, inventory's
 * group offsets at the end of the requests: everything was processed), produced in bulk straight to
 * the topics; then starts each service from its jar as {@code ./stack up} does (its default heap,
 * telemetry off) and measures the time from launch to {@code /health} 200 (polled every 200 ms), the
 * CPU it used until then, and the heap in use after a full GC ({@code jcmd GC.run}, then
 * {@code GC.heap_info}).
 */
final class StartupState {
  private static final int PRODUCTS = 100;
  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  /** @param sizes orders of history, one fill each; @param repeats starts of each service per size */
  record Options(List<Long> sizes, int repeats) {}

  /**
   * One start: {@code error} is null when it became healthy, else why not (then the figures are NaN /
   * -1). {@code heapMax} is its {@code -Xmx} ({@code 384m}).
   */
  record Start(String service, long orders, int repetition, double seconds, double cpuSeconds, double load, long heapUsedBytes, String heapMax,
      String holds, String error) {
    boolean healthy() {
      return error == null;
    }
  }

  /** Writing one size's history: how long, and the CPU this JVM (building and producing the records) and Kafka used. */
  record Fill(double seconds, double generatorCpuSeconds, double kafkaCpuSeconds) {}

  private final BenchStack stack;
  private final Options options;
  private final Console console;

  StartupState(BenchStack stack, Options options, Console console) {
    this.stack = stack;
    this.options = options;
    this.console = console;
  }

  Report.Section run() throws Exception {
    ClickHouseHttp ch = new ClickHouseHttp(stack.clickHouseUrl());
    List<Start> starts = new ArrayList<>();
    Map<Long, Fill> fills = new LinkedHashMap<>();
    for (long n : options.sizes()) {
      Map<String, String> env = BenchStack.privateTopics("-startup-" + n + "-" + UUID.randomUUID().toString().substring(0, 6));
      env.put("OTEL_SDK_DISABLED", "true");
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"); // unused: telemetry is off
      ProcStat.CpuMeter cpu = new ProcStat.CpuMeter(Map.of("generator", ProcessHandle.current().pid(), "kafka", stack.kafkaPid())).start();
      fill(stack.kafkaBootstrapServers(), env, n);
      cpu.stop();
      Fill f = new Fill(cpu.wallSeconds(), cpu.used("generator"), cpu.used("kafka"));
      fills.put(n, f);
      console.step(String.format(Locale.ROOT, "startup: wrote %,d orders' history in %.1f s (CPU: generator %.1f s, Kafka %.1f s; load average %.2f)", n,
          f.seconds(), f.generatorCpuSeconds(), f.kafkaCpuSeconds(), ProcStat.loadAverage()));
      for (int r = 1; r <= options.repeats(); r++) {
        for (Role role : List.of(Role.INVENTORY, Role.ORDER)) {
          Quiet.await(console, ch);
          Start s = measure(role, env, n, r);
          starts.add(s);
          console.step(s.healthy()
              ? String.format(Locale.ROOT, "startup %d/%d: %s with %,d orders healthy after %.1f s (%.1f s CPU, load %.2f), heap used after GC %,.0f MB of %s (%s)",
                  r, options.repeats(), s.service(), n, s.seconds(), s.cpuSeconds(), s.load(), s.heapUsedBytes() / 1048576.0, s.heapMax(), s.holds())
              : String.format(Locale.ROOT, "startup %d/%d: %s with %,d orders: %s", r, options.repeats(), s.service(), n, s.error()));
        }
      }
    }
    return section(options, starts, fills);
  }

  /** N orders: requests, results and decisions as the services write them, the catalogue, inventory's offsets. */
  static void fill(String kafka, Map<String, String> env, long n) throws Exception {
    String requests = env.get("STOCK_REDUCTIONS_TOPIC");
    String results = env.get("STOCK_REDUCTION_RESULTS_TOPIC");
    String decisions = env.get("INVENTORY_DECISIONS_TOPIC");
    String stock = env.get("INVENTORY_STOCK_TOPIC");
    TopicSetup.ensure(kafka, List.of(Topics.business(requests), Topics.business(results), Topics.business(env.get("STOCK_RESTOCKS_TOPIC")),
        Topics.state(stock), Topics.decisions(decisions, Topics.DEDUPLICATION_WINDOW)));
    // bulk: large compressed batches, the leader's acknowledgement only (the history is written once, before anything reads it)
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 50);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    long[] stockLeft = new long[PRODUCTS];
    java.util.Arrays.fill(stockLeft, 10L * n);
    String[] productIds = new String[PRODUCTS];
    for (int i = 0; i < PRODUCTS; i++) {
      productIds[i] = "product-" + i;
    }
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      Instant start = Instant.now().minusSeconds(60);
      java.util.Random random = new java.util.Random(n);
      StringBuilder b = new StringBuilder(256);
      for (long i = 0; i < n; i++) {
        String orderId = new UUID(random.nextLong(), random.nextLong()).toString();
        byte[] orderKey = orderId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int product = (int) (i % PRODUCTS);
        String productId = productIds[product];
        int quantity = 1 + (int) (i % 3);
        String at = start.plusNanos(i * 1_000L).toString();
        boolean confirmed = i % 10 != 9;
        if (confirmed) {
          stockLeft[product] -= quantity;
        }
        String status = confirmed ? "CONFIRMED" : "REJECTED";
        String reason = confirmed ? "null" : "\"insufficient_stock\"";
        String message = confirmed ? "null" : "\"not enough stock\"";
        b.setLength(0);
        b.append("{\"orderId\":\"").append(orderId).append("\",\"productId\":\"").append(productId).append("\",\"quantity\":").append(quantity)
            .append(",\"requestedAt\":\"").append(at).append("\"}");
        producer.send(new ProducerRecord<>(requests, productId.getBytes(java.nio.charset.StandardCharsets.UTF_8), utf8(b)));
        b.setLength(0);
        b.append("{\"requestId\":\"").append(orderId).append("\",\"productId\":\"").append(productId).append("\",\"quantity\":").append(quantity)
            .append(",\"status\":\"").append(status).append("\",\"reason\":").append(reason).append(",\"message\":").append(message)
            .append(",\"stockAfter\":").append(stockLeft[product]).append(",\"decidedAt\":\"").append(at).append("\"}");
        producer.send(new ProducerRecord<>(decisions, orderKey, utf8(b)));
        b.setLength(0);
        b.append("{\"orderId\":\"").append(orderId).append("\",\"productId\":\"").append(productId).append("\",\"quantity\":").append(quantity)
            .append(",\"status\":\"").append(status).append("\",\"reason\":").append(reason).append(",\"message\":").append(message)
            .append(",\"decidedAt\":\"").append(at).append("\"}");
        producer.send(new ProducerRecord<>(results, orderKey, utf8(b)));
      }
      for (int i = 0; i < PRODUCTS; i++) {
        producer.send(new ProducerRecord<>(stock, productIds[i].getBytes(java.nio.charset.StandardCharsets.UTF_8), ("{\"productId\":\"" + productIds[i]
            + "\",\"name\":\"Product " + i + "\",\"price\":1.5,\"stock\":" + stockLeft[i] + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    // inventory processed every request: its group's offsets at the end of the requests
    try (Admin admin = TopicSetup.admin(kafka)) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int partition = 0; partition < Topics.business(requests).partitions(); partition++) {
        latest.put(new TopicPartition(requests, partition), OffsetSpec.latest());
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS).forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
      admin.alterConsumerGroupOffsets(env.get("INVENTORY_CONSUMER_GROUP"), offsets).all().get(60, TimeUnit.SECONDS);
    }
  }

  /** Why a start failed: the launcher's message without the log's last lines (the log stays in the run's folder with --keep). */
  static String reason(String launcherMessage) {
    return String.valueOf(launcherMessage).lines().findFirst().orElse("").replaceFirst("\\s*Last lines of .*$", "");
  }

  private static byte[] utf8(StringBuilder b) {
    return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private Start measure(Role role, Map<String, String> env, long n, int repetition) throws Exception {
    long t0 = System.nanoTime();
    JvmInstance instance;
    try {
      instance = stack.startService(role, env); // returns once /health answers 200
    } catch (RuntimeException e) {
      return new Start(role.id(), n, repetition, Double.NaN, Double.NaN, ProcStat.loadAverage(), -1, "", "", reason(e.getMessage()));
    }
    try {
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = ProcStat.cpuSeconds(instance.pid());
      double load = ProcStat.loadAverage();
      jcmd(instance.pid(), "GC.run");
      String info = jcmd(instance.pid(), "GC.heap_info");
      Matcher m = HEAP_USED.matcher(info);
      if (!m.find()) {
        throw new IllegalStateException("no heap figures in jcmd GC.heap_info: " + info);
      }
      return new Start(role.id(), n, repetition, seconds, cpu, load, Long.parseLong(m.group(2)) * 1024, instance.heap(), holds(instance), null);
    } finally {
      instance.close();
    }
  }

  /** What the service says it holds (order: the orders it keeps; inventory: its products), from its health fields. */
  private static String holds(JvmInstance instance) throws IOException, InterruptedException {
    var client = java.net.http.HttpClient.newHttpClient();
    String body = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(instance.healthUrl())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("\"memory\":\\{\"orders\":(\\d+)").matcher(body);
    if (m.find()) {
      return String.format(Locale.ROOT, "keeps %,d orders", Long.parseLong(m.group(1)));
    }
    Matcher products = Pattern.compile("\"products\":(\\d+)").matcher(body);
    return products.find() ? products.group(1) + " products" : "";
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  /** {@code 384m}, {@code 1g}, {@code 524288k} or bytes, as {@code -Xmx} takes it. */
  static long heapBytes(String xmx) {
    String s = xmx.trim().toLowerCase(Locale.ROOT);
    long unit = switch (s.charAt(s.length() - 1)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      default -> 1;
    };
    return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
  }

  static Report.Section section(Options options, List<Start> starts, Map<Long, Fill> fills) {
    List<Report.Row> rows = new ArrayList<>();
    Map<String, List<Double>> raw = new LinkedHashMap<>();
    for (long n : options.sizes()) {
      for (String service : List.of("inventory", "order")) {
        List<Start> all = starts.stream().filter(s -> s.orders() == n && s.service().equals(service)).toList();
        if (all.isEmpty()) {
          continue;
        }
        List<Start> ok = all.stream().filter(Start::healthy).toList();
        boolean judged = n == Goals.STARTUP_HISTORY_ORDERS;
        String label = String.format(Locale.ROOT, "%s, %,d orders of history", service, n);
        String timeGoal = judged ? String.format(Locale.ROOT, "≤ %.0f s", Goals.STARTUP_SECONDS) : "";
        String failures = ok.size() == all.size() ? "" : String.format(Locale.ROOT, "; %d of %d starts not healthy: %s", all.size() - ok.size(),
            all.size(), all.stream().filter(s -> !s.healthy()).findFirst().map(Start::error).orElse(""));
        if (ok.isEmpty()) {
          rows.add(new Report.Row(label + ": launch to healthy", "never healthy" + failures, "", "", timeGoal, judged ? false : null));
          if (judged) {
            rows.add(new Report.Row(label + ": heap used after a full GC", "never healthy", "", "", "within its default heap", false));
          }
          continue;
        }
        Stats seconds = Stats.of(ok.stream().map(Start::seconds).toList());
        Stats cpu = Stats.of(ok.stream().map(Start::cpuSeconds).toList());
        Stats load = Stats.of(ok.stream().map(Start::load).toList());
        rows.add(new Report.Row(label + ": launch to healthy", seconds.format("%.1f") + " s" + failures,
            cpu.format("%.1f") + " s CPU until healthy", "", timeGoal, judged ? ok.size() == all.size() && seconds.median() <= Goals.STARTUP_SECONDS : null));
        String heapMax = ok.get(0).heapMax();
        long maxUsed = ok.stream().mapToLong(Start::heapUsedBytes).max().orElse(0);
        Stats heap = Stats.of(ok.stream().map(s -> s.heapUsedBytes() / 1048576.0).toList());
        rows.add(new Report.Row(label + ": heap used after a full GC", heap.format("%,.0f") + " MB", "-Xmx" + heapMax,
            String.format(Locale.ROOT, "%.2f", maxUsed / (double) heapBytes(heapMax)), judged ? "within its default heap" : "",
            judged ? ok.size() == all.size() && maxUsed <= heapBytes(heapMax) : null));
        rows.add(Report.Row.info(label + ": holds; load average while starting", ok.get(0).holds() + "; " + load.format("%.2f")));
        raw.put(label + ": seconds to healthy", ok.stream().map(Start::seconds).toList());
        raw.put(label + ": CPU seconds until healthy", ok.stream().map(Start::cpuSeconds).toList());
        raw.put(label + ": heap used after GC, MB", ok.stream().map(s -> s.heapUsedBytes() / 1048576.0).toList());
      }
    }
    List<String> details = new ArrayList<>();
    details.add("| service | orders of history | start | launch to healthy | CPU until healthy | load average | heap used after GC | heap (-Xmx) | holds |");
    details.add("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (Start s : starts) {
      details.add(s.healthy()
          ? String.format(Locale.ROOT, "| %s | %,d | %d | %.1f s | %.1f s | %.2f | %,.0f MB | %s | %s |", s.service(), s.orders(), s.repetition(), s.seconds(),
              s.cpuSeconds(), s.load(), s.heapUsedBytes() / 1048576.0, s.heapMax(), s.holds())
          : String.format(Locale.ROOT, "| %s | %,d | %d | not healthy: %s | | %.2f | | | |", s.service(), s.orders(), s.repetition(),
              s.error().replace("|", "\\|"), s.load()));
    }
    details.add("");
    details.add("Writing the history: " + fills.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%,d orders in %.1f s (CPU: the generator %.1f s, Kafka %.1f s)", e.getKey(), e.getValue().seconds(),
            e.getValue().generatorCpuSeconds(), e.getValue().kafkaCpuSeconds()))
        .collect(java.util.stream.Collectors.joining(", ")) + ".");
    for (Map.Entry<Long, Fill> e : fills.entrySet()) {
      raw.put(String.format(Locale.ROOT, "seconds to write %d orders of history", e.getKey()), List.of(e.getValue().seconds()));
    }
    return new Report.Section("8. Start-up with history", List.of(String.format(Locale.ROOT,
        "For each size, private topics filled with that many orders' records in the services' formats (per order a `stock-reductions` "
            + "request, a `stock-reduction-results` answer and an `inventory-decisions` decision, all within the default windows, %d products, "
            + "inventory's group offsets at the end: everything processed), produced in bulk straight to the topics. Then inventory and order, "
            + "each started %d time(s) from its jar as `./stack up` starts it (its default heap, telemetry off): launch to `/health` 200 "
            + "(polled every 200 ms), the CPU it used until then (the figure the neighbours on the machine do not change), and the heap in use "
            + "after a full GC (`jcmd GC.run`, `GC.heap_info`). The goal is judged at %,d orders: healthy within %.0f s, within its default heap.",
        PRODUCTS, options.repeats(), Goals.STARTUP_HISTORY_ORDERS, Goals.STARTUP_SECONDS)), rows, details, raw);
  }
}
