package io.hoptrace.bench;

import io.hoptrace.config.Env;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.LaunchConfig;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Start-up time and heap of order and inventory with N orders of history. For each N it fills fresh
 * topics of a private Kafka with N orders' records in the real formats (a {@code stock-reductions}
 * request, a {@code stock-reduction-results} answer and an {@code inventory-decisions} decision per
 * order, the {@code inventory-stock} catalogue, inventory's group offsets at the end of the requests:
 * everything was processed), then starts each service from its jar as {@code ./stack up} does (its
 * default heap, telemetry off), measures the time from launch to {@code /health} 200 (polled every
 * 200 ms) and the heap in use after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}).
 *
 * <p>Usage: {@code StartupState <home> <out.md> <N>[,<N>...]}.
 */
public final class StartupState {
  private static final int PRODUCTS = 100;
  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private StartupState() {}

  record Row(String service, long orders, long startMs, double cpuSeconds, String load, long heapUsedKb, long heapTotalKb, String heapMax, String bound) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: StartupState <repository home> <out.md> <N>[,<N>...]");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    Path out = Path.of(args[1]);
    List<Long> sizes = new ArrayList<>();
    for (String n : args[2].split(",")) {
      sizes.add(Long.parseLong(n.trim()));
    }
    Console console = m -> System.out.println("==> " + m);
    Path dir = Files.createTempDirectory("hoptrace-startup-");
    List<Row> rows = new ArrayList<>();
    try (Stack stack = new Stack(LaunchConfig.privateStack(home, dir, Env.system()), BenchStack.progress(console))) {
      stack.start(List.of(Role.KAFKA));
      String kafka = stack.kafka().bootstrapServers();
      for (long n : sizes) {
        String suffix = "-" + n + "-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> env = topics(suffix);
        long t0 = System.nanoTime();
        fill(kafka, env, n);
        console.step(String.format(Locale.ROOT, "wrote %,d orders' records in %,d ms", n, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        for (Role role : List.of(Role.INVENTORY, Role.ORDER)) {
          rows.add(measure(stack, role, env, n, console));
        }
      }
    } finally {
      deleteQuietly(dir);
    }
    String md = markdown(rows, args[2]);
    Files.writeString(out, md);
    System.out.println(md);
  }

  /** The environment that points both services at this run's topics. */
  private static Map<String, String> topics(String suffix) {
    Map<String, String> env = new HashMap<>();
    env.put("STOCK_REDUCTIONS_TOPIC", Topics.STOCK_REDUCTIONS + suffix);
    env.put("STOCK_REDUCTION_RESULTS_TOPIC", Topics.STOCK_REDUCTION_RESULTS + suffix);
    env.put("STOCK_RESTOCKS_TOPIC", Topics.STOCK_RESTOCKS + suffix);
    env.put("INVENTORY_STOCK_TOPIC", Topics.INVENTORY_STOCK + suffix);
    env.put("INVENTORY_DECISIONS_TOPIC", Topics.INVENTORY_DECISIONS + suffix);
    env.put("INVENTORY_CONSUMER_GROUP", "inventory" + suffix);
    env.put("OTEL_SDK_DISABLED", "true");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"); // unused: telemetry is off
    return env;
  }

  /** N orders: requests, results and decisions as the services write them, the catalogue, inventory's offsets. */
  static void fill(String kafka, Map<String, String> env, long n) throws Exception {
    String requests = env.get("STOCK_REDUCTIONS_TOPIC");
    String results = env.get("STOCK_REDUCTION_RESULTS_TOPIC");
    String decisions = env.get("INVENTORY_DECISIONS_TOPIC");
    String stock = env.get("INVENTORY_STOCK_TOPIC");
    TopicSetup.ensure(kafka, List.of(Topics.business(requests), Topics.business(results), Topics.business(env.get("STOCK_RESTOCKS_TOPIC")),
        Topics.state(stock), Topics.decisions(decisions, Topics.DEDUPLICATION_WINDOW)));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    long[] stockLeft = new long[PRODUCTS];
    java.util.Arrays.fill(stockLeft, 10L * n);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      Instant start = Instant.now().minusSeconds(60);
      java.util.Random random = new java.util.Random(n);
      for (long i = 0; i < n; i++) {
        String orderId = new UUID(random.nextLong(), random.nextLong()).toString();
        int product = (int) (i % PRODUCTS);
        String productId = "product-" + product;
        int quantity = 1 + (int) (i % 3);
        Instant at = start.plusNanos(i * 1_000L);
        boolean confirmed = i % 10 != 9;
        if (confirmed) {
          stockLeft[product] -= quantity;
        }
        String reason = confirmed ? null : "\"insufficient_stock\"";
        String message = confirmed ? null : "\"not enough stock\"";
        producer.send(new ProducerRecord<>(requests, productId, "{\"orderId\":\"" + orderId + "\",\"productId\":\"" + productId
            + "\",\"quantity\":" + quantity + ",\"requestedAt\":\"" + at + "\"}"));
        producer.send(new ProducerRecord<>(decisions, orderId, "{\"requestId\":\"" + orderId + "\",\"productId\":\"" + productId
            + "\",\"quantity\":" + quantity + ",\"status\":\"" + (confirmed ? "CONFIRMED" : "REJECTED") + "\",\"reason\":" + reason
            + ",\"message\":" + message + ",\"stockAfter\":" + stockLeft[product] + ",\"decidedAt\":\"" + at + "\"}"));
        producer.send(new ProducerRecord<>(results, orderId, "{\"orderId\":\"" + orderId + "\",\"productId\":\"" + productId
            + "\",\"quantity\":" + quantity + ",\"status\":\"" + (confirmed ? "CONFIRMED" : "REJECTED") + "\",\"reason\":" + reason
            + ",\"message\":" + message + ",\"decidedAt\":\"" + at + "\"}"));
      }
      for (int i = 0; i < PRODUCTS; i++) {
        producer.send(new ProducerRecord<>(stock, "product-" + i, "{\"productId\":\"product-" + i + "\",\"name\":\"Product " + i
            + "\",\"price\":1.5,\"stock\":" + stockLeft[i] + "}"));
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

  private static Row measure(Stack stack, Role role, Map<String, String> env, long n, Console console) throws Exception {
    long t0 = System.nanoTime();
    JvmInstance instance = stack.start(role, env); // returns once /health answers 200
    long startMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    double cpu = cpuSeconds(instance.pid());
    String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    try {
      jcmd(instance.pid(), "GC.run");
      String info = jcmd(instance.pid(), "GC.heap_info");
      Matcher m = HEAP_USED.matcher(info);
      if (!m.find()) {
        throw new IllegalStateException("no heap figures in jcmd GC.heap_info: " + info);
      }
      String health = health(instance);
      Row row = new Row(role.id(), n, startMs, cpu, load, Long.parseLong(m.group(2)), Long.parseLong(m.group(1)), instance.heap(), health);
      console.step(String.format(Locale.ROOT, "%s with %,d orders: healthy after %,d ms (%.1f s CPU, load %s), heap used after GC %,d MB of %s (%s)",
          role.id(), n, startMs, cpu, load, row.heapUsedKb() >> 10, instance.heap(), health));
      return row;
    } finally {
      stack.stop(instance);
    }
  }

  /** What the service says it holds (order: its memory; inventory: its decisions), from its health fields. */
  private static String health(JvmInstance instance) throws IOException, InterruptedException {
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

  /** CPU time (user + system) the process used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
  private static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  static String markdown(List<Row> rows, String sizes) {
    StringBuilder b = new StringBuilder();
    b.append("| service | orders of history | launch to healthy | CPU until healthy | load average | heap used after GC | heap (-Xmx) | holds |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "| %s | %,d | %.1f s | %.1f s | %s | %,d MB | %s | %s |%n", r.service(), r.orders(), r.startMs() / 1000.0,
          r.cpuSeconds(), r.load(), r.heapUsedKb() >> 10, r.heapMax(), r.bound()));
    }
    b.append("\nProduced by `tools/bench/startup-state.sh ").append(sizes).append("` on ").append(Instant.now()).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores.\n");
    return b.toString();
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
