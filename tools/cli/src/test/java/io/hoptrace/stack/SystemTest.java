package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.config.Env;
import io.hoptrace.load.json.Json;
import io.hoptrace.process.Poll;
import io.hoptrace.process.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole system as {@code ./stack up} runs it (Kafka, ClickHouse, collector, inventory, order on
 * free ports): one order's trace, its logs and the services' metrics travel services → collector →
 * Kafka → ClickHouse, and the explorer, the terminal and a replay see the same trace.
 */
class SystemTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Path data;
  static StackConfig config;
  static SupervisedStack stack;
  static ByteArrayOutputStream out = new ByteArrayOutputStream();
  static Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), true);
  static Map<String, String> env;
  static String traceId;
  static String orderId;

  @BeforeAll
  static void up() throws Exception {
    data = TestStacks.newDataDir("system-test");
    env = TestStacks.env(data);
    // export metrics every 2 s instead of every 15 s, so the test does not wait for them
    env.put("OTEL_METRIC_EXPORT_INTERVAL", "2000");
    config = StackConfig.fromEnv(Env.of(env));
    stack = new SupervisedStack(config, console);
    stack.up();

    HttpResponse<String> order = HTTP.send(HttpRequest.newBuilder(URI.create(orderUrl() + "/order-product"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"keyboard\", \"quantity\": 2}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(order.statusCode()).as(order.body()).isEqualTo(201);
    Json.Obj body = Json.object(order.body());
    traceId = body.string("traceId");
    orderId = body.obj("order") != null ? body.obj("order").string("orderId") : body.string("orderId");
    assertThat(order.body()).contains("CONFIRMED");
    assertThat(order.headers().firstValue("traceparent")).hasValueSatisfying(tp -> assertThat(tp).contains(traceId));
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.down();
      assertThat(Ports.isFree("127.0.0.1", config.env().port("HOPTRACE_KAFKA_PORT", 9092))).isTrue();
      assertThat(Ports.isFree("127.0.0.1", config.env().port("ORDER_HTTP_PORT", 8000))).isTrue();
      assertThat(Files.exists(config.stateFile())).isFalse();
    }
    TestStacks.deleteDataDir(data);
  }

  @Test
  void theStackReportsEveryComponent() {
    assertThat(new Lifecycle(config, console).status()).isEqualTo(0);
    assertThat(StackState.read(config.stateFile()).orElseThrow().names())
        .containsExactly("kafka", "clickhouse", "collector", "inventory", "order");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("applied [001_traces.sql, 002_logs.sql, 003_metrics.sql, 004_exponential_histogram_name.sql, 005_least_privilege_writer.sql]");
  }

  @Test
  void theOrdersTraceCrossesBothKafkaHopsIntactInClickHouse() throws Exception {
    List<Map<String, String>> spans = new java.util.ArrayList<>();
    Poll.until("five spans of trace " + traceId + " in otel_traces", Duration.ofSeconds(60), Duration.ofMillis(300), () -> {
      spans.clear();
      spans.addAll(rows("SELECT SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, SpanAttributes['messaging.destination.name'] AS topic,"
          + " SpanAttributes['messaging.system'] AS system, SpanAttributes['messaging.kafka.offset'] AS kafka_offset,"
          + " SpanAttributes['messaging.consumer.group.name'] AS grp FROM " + db() + ".otel_traces WHERE TraceId = ?", traceId));
      return spans.stream().filter(s -> s.get("SpanKind").equals("Consumer")).count() == 2;
    });
    String[][] chain = {
        {"order", "Server", "POST /order-product"},
        {"order", "Producer", "stock-reductions publish"},
        {"inventory", "Consumer", "stock-reductions process"},
        {"inventory", "Producer", "stock-reduction-results publish"},
        {"order", "Consumer", "stock-reduction-results process"}};
    String parent = "";
    for (String[] link : chain) {
      String p = parent;
      Map<String, String> span = spans.stream()
          .filter(s -> s.get("ServiceName").equals(link[0]) && s.get("SpanKind").equals(link[1]) && s.get("SpanName").equals(link[2]))
          .findFirst().orElseThrow(() -> new AssertionError("no " + String.join(" ", link) + " span in " + spans));
      if (!p.isEmpty()) {
        assertThat(span.get("ParentSpanId")).as(link[2] + " is a child of the span before it").isEqualTo(p);
      }
      if (link[1].equals("Producer") || link[1].equals("Consumer")) {
        assertThat(span.get("system")).as(link[2]).isEqualTo("kafka");
        assertThat(span.get("topic")).as(link[2]).isEqualTo(link[2].substring(0, link[2].indexOf(' ')));
        assertThat(span.get("kafka_offset")).as(link[2] + " offset").matches("\\d+");
      }
      if (link[0].equals("inventory") && link[1].equals("Consumer")) {
        // order reads its results without a consumer group (every instance sees every answer)
        assertThat(span.get("grp")).as(link[2] + " consumer group").isEqualTo("inventory");
      }
      parent = span.get("SpanId");
    }
  }

  @Test
  void theOrdersLogLinesCarryItsTraceIdFromBothServices() throws Exception {
    Set<String> services = new TreeSet<>();
    Poll.until("log lines of trace " + traceId + " from order and inventory", Duration.ofSeconds(60), Duration.ofMillis(300), () -> {
      services.clear();
      rows("SELECT ServiceName, SpanId, Body FROM " + db() + ".otel_logs WHERE TraceId = ?", traceId)
          .forEach(r -> services.add(r.get("ServiceName")));
      return services.containsAll(List.of("order", "inventory"));
    });
    assertThat(rows("SELECT Body, SpanId FROM " + db() + ".otel_logs WHERE TraceId = ? AND Body LIKE ?", traceId, "%" + orderId + "%"))
        .as("a log line names the order").isNotEmpty();
  }

  @Test
  void theServicesAndTheCollectorMetricsAreInTheMetricsTables() {
    List<String[]> expected = List.of(
        new String[] {"otel_metrics_histogram", "order", "http.server.request.duration"},
        new String[] {"otel_metrics_histogram", "inventory", "http.server.request.duration"},
        new String[] {"otel_metrics_sum", "order", "hoptrace.orders"},
        new String[] {"otel_metrics_gauge", "inventory", "hoptrace.inventory.stock"},
        new String[] {"otel_metrics_gauge", "inventory", "messaging.kafka.consumer.lag"},
        new String[] {"otel_metrics_sum", "collector", "hoptrace.collector.receiver.accepted"});
    for (String[] e : expected) {
      Poll.until(e[2] + " of " + e[1] + " in " + e[0], Duration.ofSeconds(90), Duration.ofMillis(500), () ->
          !rows("SELECT count() AS n FROM " + db() + "." + e[0] + " WHERE ServiceName = ? AND MetricName = ? HAVING n > 0", e[1], e[2]).isEmpty());
    }
    // the stock gauge follows the order: keyboard started at 40, the order took 2
    Poll.until("the keyboard stock gauge at 38", Duration.ofSeconds(60), Duration.ofMillis(500), () -> !rows(
        "SELECT argMax(Value, TimeUnix) AS v FROM " + db() + ".otel_metrics_gauge WHERE MetricName = 'hoptrace.inventory.stock'"
            + " AND Attributes['hoptrace.product.id'] = ? HAVING v = 38", "keyboard").isEmpty());
  }

  @Test
  void theGrafanaDashboardsShowTheLiveSystem() throws Exception {
    // per panel that must show data once one order went through: a column and a value it must start with
    // (a wrong attribute key still returns rows, but with empty labels: the value check catches it)
    Map<String, String[]> mustShow = Map.ofEntries(
        Map.entry("Stock level by product", new String[] {"product", "keyboard"}),
        Map.entry("Consumer lag by group and partition", new String[] {"partition", "inventory stock-reductions/"}),
        Map.entry("Hops by topic", new String[] {"topic", "stock-reduction-results"}),
        Map.entry("Records published and processed per second by topic", new String[] {"series", "stock-reductions consumer"}),
        Map.entry("Publish to process latency by topic (p50, p95)", new String[] {"topic", "stock-reductions"}),
        Map.entry("Accepted items per second by signal", new String[] {"signal", "traces"}),
        Map.entry("Rows inserted per second by signal", new String[] {"signal", "traces"}),
        Map.entry("Logs", new String[] {"service", "inventory"}),
        Map.entry("Log lines per second by severity", new String[] {"severity", "INFO"}),
        Map.entry("Orders per second by outcome", new String[] {"outcome", "CONFIRMED"}),
        Map.entry("Requests per second by service", new String[] {"ServiceName", "order"}));
    Path dashboards = config.home().resolve("deploy/grafana/dashboards");
    int[] panels = {0};
    // metrics arrive every few seconds: poll until every panel shows what it must, report the last gaps
    Poll.until("every dashboard panel to show the live system", Duration.ofSeconds(90), Duration.ofSeconds(1), () -> {
      List<String> missing = new java.util.ArrayList<>();
      panels[0] = 0;
      try (var files = Files.list(dashboards)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          for (Json.Obj panel : Json.object(Files.readString(file)).objects("panels")) {
            String sql = io.hoptrace.testsupport.GrafanaMacros.expand(panel.objects("targets").get(0).string("rawSql"),
                java.time.Instant.now().minusSeconds(600), java.time.Instant.now().plusSeconds(5), 5, db());
            panels[0]++;
            List<Map<String, String>> result = rows(sql);
            String[] expected = mustShow.get(panel.string("title"));
            if (expected != null && result.stream().noneMatch(r -> String.valueOf(r.get(expected[0])).startsWith(expected[1]))) {
              missing.add(file.getFileName() + ": " + panel.string("title") + " has no " + expected[0] + " starting with " + expected[1]);
            }
          }
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("panels not showing the live system: " + missing);
      }
      return true;
    });
    assertThat(panels[0]).isGreaterThan(15);
  }

  @Test
  void theExplorerAndTheTerminalShowTheTrace() throws Exception {
    ExplorerClient explorer = ExplorerClient.fromEnv(config.env());
    Json.Obj[] trace = new Json.Obj[1];
    Poll.until("the trace in the explorer", Duration.ofSeconds(60), Duration.ofMillis(300), () -> {
      trace[0] = explorer.get("/api/traces/" + traceId);
      return trace[0].array("hops").size() == 2;
    });
    assertThat(trace[0].objects("hops").stream().map(h -> h.string("topic")).toList())
        .containsExactlyInAnyOrder("stock-reductions", "stock-reduction-results");
    assertThat(trace[0].strings("services")).contains("order", "inventory");

    Cli.Result terminal = Cli.run(env, "trace", traceId);
    assertThat(terminal.exit()).isEqualTo(0);
    assertThat(terminal.out())
        .contains("trace " + traceId).contains("2 Kafka hops")
        .contains("stock-reductions process").contains("stock-reduction-results publish");
  }

  @Test
  void aReplayOfStockReductionsChangesNoStockAndLinksToTheOriginal() throws Exception {
    List<Object> before = Json.object(get(inventoryUrl() + "/list-products")).array("products");
    Cli.Result replay = Cli.run(env, "replay", "stock-reductions", "--from", "earliest", "--wait", "60s");
    assertThat(replay.exit()).as(replay.err()).isEqualTo(0);
    assertThat(Json.object(get(inventoryUrl() + "/list-products")).array("products")).isEqualTo(before);
    // the replayed request's processing span starts a new trace that links to the original publish
    Poll.until("a replayed processing span linking to trace " + traceId, Duration.ofSeconds(60), Duration.ofMillis(300), () ->
        !rows("SELECT TraceId FROM " + db() + ".otel_traces WHERE SpanName = 'stock-reductions process' AND has(Links.TraceId, ?)"
            + " AND TraceId != ?", traceId, traceId).isEmpty());
  }

  static String orderUrl() {
    return "http://127.0.0.1:" + config.env().port("ORDER_HTTP_PORT", 8000);
  }

  static String inventoryUrl() {
    return "http://127.0.0.1:" + config.env().port("INVENTORY_HTTP_PORT", 8010);
  }

  static String db() {
    return config.clickHouse().database();
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  /** Rows in result order, each as column → value. */
  static List<Map<String, String>> rows(String sql, String... params) {
    return TestStacks.rows(config, sql, params);
  }
}
