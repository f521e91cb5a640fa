package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.testsupport.GrafanaMacros;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every panel's SQL of every dashboard runs against the real ClickHouse, with the Grafana ClickHouse
 * plugin's macros expanded the way the plugin expands them, over data shaped like what the services
 * and the collector write, and returns the columns the panel needs.
 */
@ExtendWith(RealInfrastructure.class)
class DashboardSqlTest {
  static final int INTERVAL_S = 20;
  /** Per dashboard file and panel title: the columns the panel's visualisation reads. */
  static final Map<String, List<String>> EXPECTED_COLUMNS = new TreeMap<>(Map.ofEntries(
      Map.entry("service-overview/Requests per second by service", List.of("time", "ServiceName", "requests_per_s")),
      Map.entry("service-overview/Server errors (5xx) share by service", List.of("time", "ServiceName", "error_ratio")),
      Map.entry("service-overview/Request duration p95 by route", List.of("time", "route", "p95")),
      Map.entry("service-overview/Request duration p50 by route", List.of("time", "route", "p50")),
      Map.entry("service-overview/Orders per second by outcome", List.of("time", "outcome", "per_second")),
      Map.entry("service-overview/Stock level by product", List.of("time", "product", "stock")),
      Map.entry("kafka-hops/Publish to process latency by topic (p50, p95)", List.of("time", "topic", "p50_ms", "p95_ms")),
      Map.entry("kafka-hops/Consumer lag by group and partition", List.of("time", "partition", "lag")),
      Map.entry("kafka-hops/Records published and processed per second by topic", List.of("time", "series", "per_second")),
      Map.entry("kafka-hops/Hops by topic", List.of("topic", "producer", "consumer", "hops", "p50_ms", "p95_ms", "max_ms")),
      Map.entry("collector-health/Accepted items per second by signal", List.of("time", "signal", "per_second")),
      Map.entry("collector-health/Refused requests per second by reason", List.of("time", "reason", "per_second")),
      Map.entry("collector-health/Ingestion lag (records in Kafka not yet in ClickHouse)", List.of("time", "signal", "lag")),
      Map.entry("collector-health/Dead-lettered records in range", List.of("dead_letters")),
      Map.entry("collector-health/Receiver in-flight bytes", List.of("time", "collector", "bytes")),
      Map.entry("collector-health/Rows inserted per second by signal", List.of("time", "signal", "per_second")),
      Map.entry("collector-health/ClickHouse insert latency p95", List.of("time", "signal", "p95")),
      Map.entry("logs/Log lines per second by severity", List.of("time", "severity", "per_second")),
      Map.entry("logs/Warnings and errors by service", List.of("service", "warnings", "errors")),
      Map.entry("logs/Logs", List.of("timestamp", "body", "level", "service", "traceID", "spanID"))));

  static ClickHouseSettings db;
  static Instant now = Instant.now();

  @BeforeAll
  static void seed(Infrastructure infra) throws SQLException {
    db = infra.migratedDatabase("dashboards");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      String d = db.database();
      // three scrapes, 20 s apart, of cumulative metrics, as the OpenTelemetry SDK exports them
      for (int i = 0; i < 3; i++) {
        String t = "now() - " + (50 - 20 * i);
        for (String svc : List.of("order", "inventory")) {
          s.execute("INSERT INTO " + d + ".otel_metrics_histogram (ServiceName, MetricName, Attributes, StartTimeUnix, TimeUnix, Count, Sum, BucketCounts, ExplicitBounds, AggregationTemporality) VALUES ('"
              + svc + "', 'http.server.request.duration', map('http.request.method','POST','http.route','/order-product','http.response.status_code','201'), now() - 3600, " + t
              + ", " + (10 * (i + 1)) + ", " + (0.2 * (i + 1)) + ", [" + (2 * (i + 1)) + "," + (6 * (i + 1)) + "," + (2 * (i + 1)) + ",0], [0.005,0.01,0.025], 2)");
          s.execute("INSERT INTO " + d + ".otel_metrics_histogram (ServiceName, MetricName, Attributes, StartTimeUnix, TimeUnix, Count, Sum, BucketCounts, ExplicitBounds, AggregationTemporality) VALUES ('"
              + svc + "', 'http.server.request.duration', map('http.request.method','POST','http.route','/order-product','http.response.status_code','503'), now() - 3600, " + t
              + ", " + (i + 1) + ", " + (0.01 * (i + 1)) + ", [0," + (i + 1) + ",0,0], [0.005,0.01,0.025], 2)");
        }
        s.execute("INSERT INTO " + d + ".otel_metrics_histogram (ServiceName, MetricName, Attributes, StartTimeUnix, TimeUnix, Count, Sum, BucketCounts, ExplicitBounds, AggregationTemporality) VALUES ("
            + "'collector', 'hoptrace.collector.ingester.insert.duration', map('signal','traces','outcome','ok'), now() - 3600, " + t
            + ", " + (5 * (i + 1)) + ", " + (40 * (i + 1)) + ", [" + (i + 1) + "," + (4 * (i + 1)) + ",0], [5,10], 2)");
        sum(s, "order", "hoptrace.orders", "map('order.outcome','CONFIRMED')", t, 7 * (i + 1));
        sum(s, "order", "hoptrace.orders", "map('order.outcome','REJECTED')", t, 2 * (i + 1));
        sum(s, "collector", "hoptrace.collector.receiver.accepted", "map('signal','traces')", t, 1000 * (i + 1));
        sum(s, "collector", "hoptrace.collector.receiver.refused", "map('signal','traces','reason','kafka_unavailable')", t, i + 1);
        sum(s, "collector", "hoptrace.collector.ingester.rows", "map('signal','traces')", t, 990 * (i + 1));
        sum(s, "collector", "hoptrace.collector.ingester.dead_letters", "map('signal','traces')", t, i);
        gauge(s, "inventory", "hoptrace.inventory.stock", "map('hoptrace.product.id','p-1')", t, 50 - i);
        gauge(s, "inventory", "messaging.kafka.consumer.lag",
            "map('messaging.system','kafka','messaging.destination.name','stock-reductions','messaging.destination.partition.id','0','messaging.consumer.group.name','inventory')", t, 3 - i);
        gauge(s, "collector", "hoptrace.collector.ingester.lag", "map('signal','traces')", t, 100 - 10 * i);
        gauge(s, "collector", "hoptrace.collector.receiver.inflight.bytes", "map()", t, 4096);
      }
      // one order's trace: HTTP server, both Kafka hops
      String trace = "'5b8efff798038103d269b633813fc60c'";
      span(s, trace, "'a000000000000001'", "''", "POST /order-product", "Server", "order", 0, 30_000_000, "map('http.route','/order-product')");
      span(s, trace, "'a000000000000002'", "'a000000000000001'", "stock-reductions publish", "Producer", "order", 1_000_000, 2_000_000,
          "map('messaging.system','kafka','messaging.destination.name','stock-reductions','messaging.operation.type','publish')");
      span(s, trace, "'b000000000000003'", "'a000000000000002'", "stock-reductions process", "Consumer", "inventory", 6_000_000, 3_000_000,
          "map('messaging.system','kafka','messaging.destination.name','stock-reductions','messaging.operation.type','process')");
      span(s, trace, "'b000000000000004'", "'b000000000000003'", "stock-reduction-results publish", "Producer", "inventory", 7_000_000, 1_000_000,
          "map('messaging.system','kafka','messaging.destination.name','stock-reduction-results','messaging.operation.type','publish')");
      span(s, trace, "'a000000000000005'", "'b000000000000004'", "stock-reduction-results process", "Consumer", "order", 12_000_000, 1_000_000,
          "map('messaging.system','kafka','messaging.destination.name','stock-reduction-results','messaging.operation.type','process')");
      s.execute("INSERT INTO " + d + ".otel_logs (Timestamp, TraceId, SpanId, SeverityText, SeverityNumber, ServiceName, Body) VALUES "
          + "(now64(9) - 5, " + trace + ", 'a000000000000001', 'INFO', 9, 'order', 'order 42 confirmed'), "
          + "(now64(9) - 4, " + trace + ", 'b000000000000003', 'WARN', 13, 'inventory', 'stock of p-1 is low'), "
          + "(now64(9) - 3, '', '', 'ERROR', 17, 'order', 'Kafka unavailable')");
    }
  }

  @Test
  void everyPanelOfEveryDashboardRunsAndReturnsItsColumns() throws Exception {
    List<String> seen = new ArrayList<>();
    for (Path file : dashboards()) {
      JsonObject dashboard = new JsonObject(Files.readString(file));
      String name = file.getFileName().toString().replace(".json", "");
      assertThat(dashboard.getString("uid")).as(name + " uid").startsWith("hoptrace-");
      for (Object o : dashboard.getJsonArray("panels")) {
        JsonObject panel = (JsonObject) o;
        String key = name + "/" + panel.getString("title");
        seen.add(key);
        assertThat(EXPECTED_COLUMNS).as("expected columns declared for panel " + key).containsKey(key);
        JsonArray targets = panel.getJsonArray("targets");
        assertThat(targets).as(key).hasSize(1);
        JsonObject target = targets.getJsonObject(0);
        assertThat(target.getJsonObject("datasource").getString("uid")).as(key).isEqualTo("clickhouse");
        QueryResult result = run(target.getString("rawSql"));
        assertThat(result.columns()).as(key).containsExactlyElementsOf(EXPECTED_COLUMNS.get(key));
        assertThat(result.rows()).as(key + " returns rows for the seeded data").isPositive();
      }
      for (Object o : dashboard.getJsonObject("templating").getJsonArray("list")) {
        JsonObject variable = (JsonObject) o;
        QueryResult values = run(variable.getString("query"));
        assertThat(values.rows()).as(name + " variable " + variable.getString("name")).isPositive();
      }
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(EXPECTED_COLUMNS.keySet());
  }

  @Test
  void theKafkaHopPanelMeasuresConsumerStartMinusProducerStart() throws Exception {
    JsonObject hops = new JsonObject(Files.readString(Repo.root().resolve("deploy/grafana/dashboards/kafka-hops.json")));
    String sql = hops.getJsonArray("panels").stream().map(p -> (JsonObject) p)
        .filter(p -> p.getString("title").equals("Hops by topic")).findFirst().orElseThrow()
        .getJsonArray("targets").getJsonObject(0).getString("rawSql");
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(expand(sql))) {
      Map<String, Double> p50 = new TreeMap<>();
      while (rs.next()) {
        p50.put(rs.getString("topic"), rs.getDouble("p50_ms"));
      }
      // seeded: stock-reductions produced at +1 ms, consumed at +6 ms; results produced at +7 ms, consumed at +12 ms
      assertThat(p50).containsEntry("stock-reductions", 5.0).containsEntry("stock-reduction-results", 5.0);
    }
  }

  record QueryResult(List<String> columns, int rows) {}

  static QueryResult run(String rawSql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(expand(rawSql))) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        columns.add(md.getColumnLabel(i));
      }
      int rows = 0;
      while (rs.next()) {
        rows++;
      }
      return new QueryResult(columns, rows);
    }
  }

  static String expand(String sql) {
    return GrafanaMacros.expand(sql, now.minusSeconds(3595), now.plusSeconds(5), INTERVAL_S, db.database());
  }

  static List<Path> dashboards() throws Exception {
    try (Stream<Path> files = Files.list(Repo.root().resolve("deploy/grafana/dashboards"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  static void sum(Statement s, String service, String metric, String attributes, String time, double value) throws SQLException {
    s.execute("INSERT INTO " + db.database() + ".otel_metrics_sum (ServiceName, MetricName, Attributes, StartTimeUnix, TimeUnix, Value, AggregationTemporality, IsMonotonic) VALUES ('"
        + service + "', '" + metric + "', " + attributes + ", now() - 3600, " + time + ", " + value + ", 2, true)");
  }

  static void gauge(Statement s, String service, String metric, String attributes, String time, double value) throws SQLException {
    s.execute("INSERT INTO " + db.database() + ".otel_metrics_gauge (ServiceName, MetricName, Attributes, StartTimeUnix, TimeUnix, Value) VALUES ('"
        + service + "', '" + metric + "', " + attributes + ", now() - 3600, " + time + ", " + value + ")");
  }

  static void span(Statement s, String trace, String id, String parent, String name, String kind, String service, long startOffsetNs,
      long durationNs, String attributes) throws SQLException {
    s.execute("INSERT INTO " + db.database() + ".otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, Duration, StatusCode, SpanAttributes) VALUES ("
        + "fromUnixTimestamp64Nano(toInt64(" + (now.getEpochSecond() - 60) + ") * 1000000000 + " + startOffsetNs + "), " + trace + ", " + id + ", " + parent + ", '" + name + "', '"
        + kind + "', '" + service + "', " + durationNs + ", 'Unset', " + attributes + ")");
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
  }
}
