package io.hoptrace.collector.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.collector.query.alerts.AlertRules;
import io.hoptrace.process.Ports;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The explorer's JSON API against the real ClickHouse, over fixture traces of the services' shape. */
@ExtendWith(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiTest {
  ClickHouseSettings db;
  RunningExplorer explorer;
  TraceFixtures.OrderTrace order;
  TraceFixtures.OrderTrace failed;
  TraceFixtures.OrderTrace replay;
  List<TraceFixtures.OrderTrace> lists = new ArrayList<>();
  Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @BeforeAll
  void start(Infrastructure infra) {
    db = infra.migratedDatabase("query-api");
    TraceFixtures f = new TraceFixtures();
    for (int i = 0; i < 3; i++) {
      lists.add(f.listProducts(now.minusSeconds(1_800 + i * 60L)));
    }
    failed = f.order(now.minusSeconds(300), "o-1", "p-2", true);
    order = f.order(now.minusSeconds(60), "o-2", "p-1", false);
    replay = f.replayOf(order, now.minusSeconds(30));
    f.insert(db);
    explorer = RunningExplorer.start(db, AlertRules.none());
  }

  @AfterAll
  void stop() {
    explorer.close();
  }

  JsonObject ok(String path) {
    RunningExplorer.Response r = explorer.get(path);
    assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    return r.json();
  }

  List<String> traceIds(String query) {
    return ok("/api/traces?" + query).getJsonArray("traces").stream().map(t -> ((JsonObject) t).getString("traceId")).toList();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void searchListsTracesNewestFirstWithTheirSummary() {
    JsonObject r = ok("/api/traces?lookback=1h");
    assertThat(r.getLong("total")).isEqualTo(6);
    JsonArray traces = r.getJsonArray("traces");
    assertThat(traces.stream().map(t -> ((JsonObject) t).getString("traceId")))
        .containsExactly(replay.traceId(), order.traceId(), failed.traceId(), lists.get(0).traceId(), lists.get(1).traceId(), lists.get(2).traceId());
    JsonObject o = traces.getJsonObject(1);
    assertThat(o.getString("rootService")).isEqualTo("order");
    assertThat(o.getString("rootOperation")).isEqualTo("POST /order-product");
    assertThat(o.getJsonArray("services")).containsExactly("inventory", "order");
    assertThat(o.getLong("spanCount")).isEqualTo(7);
    assertThat(o.getLong("durationNs")).isEqualTo(40_000_000L);
    assertThat(o.getBoolean("error")).isFalse();
    assertThat(Instant.parse(o.getString("start"))).isEqualTo(order.start());
    assertThat(traces.getJsonObject(2).getBoolean("error")).isTrue();
    assertThat(traces.getJsonObject(2).getLong("errorCount")).isEqualTo(2);
  }

  @Test
  void searchFiltersByServiceOperationStatusDurationAndAttributes() {
    assertThat(traceIds("service=inventory&operation=" + q("stock-reductions process")))
        .containsExactly(replay.traceId(), order.traceId(), failed.traceId());
    assertThat(traceIds("operation=" + q("POST /order-product") + "&status=error")).containsExactly(failed.traceId());
    assertThat(traceIds("operation=" + q("POST /order-product") + "&status=ok")).containsExactly(order.traceId());
    assertThat(traceIds("minDuration=20ms")).containsExactly(order.traceId(), failed.traceId());
    assertThat(traceIds("maxDuration=12ms")).containsExactly(replay.traceId(), lists.get(0).traceId(), lists.get(1).traceId(), lists.get(2).traceId());
    assertThat(traceIds("minDuration=11.5ms&maxDuration=0.012s")).hasSize(3);
    // span attribute
    assertThat(traceIds("attr=" + q("order.id=o-2"))).containsExactly(order.traceId());
    assertThat(traceIds("attr=" + q("messaging.destination.name=stock-reduction-results"))).containsExactly(order.traceId(), failed.traceId());
    // resource attribute, and two filters that must hold on the same span
    assertThat(traceIds("service=inventory&attr=" + q("service.name=inventory") + "&attr=" + q("messaging.kafka.offset=43")))
        .containsExactly(replay.traceId());
    assertThat(traceIds("service=order&attr=" + q("host.name=fixture-host"))).hasSize(5);
    assertThat(traceIds("attr=" + q("order.id=nobody"))).isEmpty();
  }

  @Test
  void searchTakesAbsoluteTimeRangesAndPages() {
    String from = now.minusSeconds(400).toString();
    String to = now.minusSeconds(45).toString();
    assertThat(traceIds("from=" + from + "&to=" + to)).containsExactly(order.traceId(), failed.traceId());
    assertThat(traceIds("from=" + now.minusSeconds(400).toEpochMilli() + "&to=" + now.minusSeconds(45).toEpochMilli()))
        .containsExactly(order.traceId(), failed.traceId());
    // a lookback is an age at the time of the query: one that reaches back to now - 150 s however long the
    // fixtures were written before (order at -60 s and its replay at -30 s are in, the failed order at -300 s is out)
    long age = Duration.between(now, Instant.now()).toSeconds() + 150;
    assertThat(traceIds("lookback=" + age + "s")).containsExactly(replay.traceId(), order.traceId());

    JsonObject page2 = ok("/api/traces?limit=2&offset=2");
    assertThat(page2.getLong("total")).isEqualTo(6);
    assertThat(page2.getJsonArray("traces").stream().map(t -> ((JsonObject) t).getString("traceId")))
        .containsExactly(failed.traceId(), lists.get(0).traceId());
    assertThat(ok("/api/traces?limit=2&offset=6").getJsonArray("traces")).isEmpty();
  }

  @Test
  void traceByIdHasTheSpanTreeKafkaHopsLogsAndLinks() {
    JsonObject t = ok("/api/traces/" + order.traceId());
    assertThat(t.getInteger("spanCount")).isEqualTo(7);
    assertThat(t.getLong("durationNs")).isEqualTo(40_000_000L);
    JsonArray spans = t.getJsonArray("spans");
    List<String> tree = IntStream.range(0, spans.size()).mapToObj(spans::getJsonObject)
        .map(s -> "  ".repeat(s.getInteger("depth")) + s.getString("service") + " " + s.getString("kind") + " " + s.getString("name"))
        .toList();
    assertThat(tree).containsExactly(
        "order Server POST /order-product",
        "  order Client GET",
        "    inventory Server GET /list-products",
        "  order Producer stock-reductions publish",
        "    inventory Consumer stock-reductions process",
        "      inventory Producer stock-reduction-results publish",
        "        order Consumer stock-reduction-results process");
    JsonObject process = spans.getJsonObject(4);
    assertThat(process.getLong("offsetNs")).isEqualTo(19_000_000L);
    assertThat(process.getJsonObject("messaging").getString("consumerGroup")).isEqualTo("inventory");
    assertThat(process.getJsonObject("resource").getString("service.name")).isEqualTo("inventory");

    JsonArray hops = t.getJsonArray("hops");
    assertThat(hops).hasSize(2);
    JsonObject hop = hops.getJsonObject(0);
    assertThat(hop.getString("producerSpanId")).isEqualTo(order.span("publish"));
    assertThat(hop.getString("consumerSpanId")).isEqualTo(order.span("process"));
    assertThat(hop.getString("topic")).isEqualTo("stock-reductions");
    assertThat(hop.getString("partition")).isEqualTo("1");
    assertThat(hop.getString("offset")).isEqualTo("42");
    assertThat(hop.getLong("waitNs")).isEqualTo(3_000_000L); // consumer start (19 ms) - producer end (12 + 4 ms)
    assertThat(hop.getString("waitMeasuredFrom")).isEqualTo("producer end");
    assertThat(hops.getJsonObject(1).getString("topic")).isEqualTo("stock-reduction-results");

    JsonArray logs = t.getJsonArray("logs");
    assertThat(logs.stream().map(l -> ((JsonObject) l).getString("body")))
        .containsExactly("order o-2 received: product p-1, quantity 2", "reduced stock of p-1 by 2 (8 left)", "order o-2 completed");
    assertThat(logs.getJsonObject(1).getString("spanId")).isEqualTo(order.span("process"));
    assertThat(logs.getJsonObject(1).getString("severity")).isEqualTo("INFO");

    assertThat(t.getJsonArray("linkedFrom")).hasSize(1);
    assertThat(t.getJsonArray("linkedFrom").getJsonObject(0).getString("traceId")).isEqualTo(replay.traceId());
    JsonObject replayed = ok("/api/traces/" + replay.traceId().toUpperCase()).getJsonArray("spans").getJsonObject(0);
    assertThat(replayed.getJsonArray("links").getJsonObject(0).getString("spanId")).isEqualTo(order.span("publish"));

    JsonObject failedTrace = ok("/api/traces/" + failed.traceId());
    JsonObject failedProcess = failedTrace.getJsonArray("spans").getJsonObject(4);
    assertThat(failedProcess.getJsonObject("status").getString("code")).isEqualTo("Error");
    assertThat(failedProcess.getJsonArray("events").getJsonObject(0).getString("name")).isEqualTo("exception");
    assertThat(failedTrace.getJsonArray("logs").getJsonObject(1).getString("severity")).isEqualTo("ERROR");
  }

  @Test
  void unknownTraceIs404WithAReason() {
    RunningExplorer.Response r = explorer.get("/api/traces/" + TraceFixtures.traceId());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().getString("error")).isEqualTo("unknown_trace");
    assertThat(r.json().getString("message")).contains("no spans of trace");
  }

  @Test
  void clickHouseUnreachableIs503AndHealthSaysDown() {
    try (RunningExplorer away = RunningExplorer.start(db.withUrl("http://127.0.0.1:" + Ports.freePort()), AlertRules.none())) {
      RunningExplorer.Response r = away.get("/api/traces?lookback=1h");
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(r.json().getString("error")).isEqualTo("clickhouse_unavailable");
      assertThat(r.json().getString("message")).contains("is not reachable");
      RunningExplorer.Response health = away.get("/api/health");
      assertThat(health.status()).as(health.body()).isEqualTo(503);
      assertThat(health.json().getString("status")).isEqualTo("DOWN");
      assertThat(health.json().getString("reason")).contains("is not reachable");
      assertThat(health.json().getJsonObject("checks").getJsonObject("clickhouse").getString("status")).isEqualTo("DOWN");
    }
  }

  @Test
  void serviceMapHasServicesTopicsAndEdgesWithCountsErrorRatesAndP95() {
    JsonObject map = ok("/api/service-map?lookback=1h");
    assertThat(map.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id")))
        .containsExactlyInAnyOrder("external:client", "service:order", "service:inventory", "topic:stock-reductions", "topic:stock-reduction-results");
    assertThat(edge(map, "external:client", "service:order")).contains("requests=5", "errors=1", "p95Ms=");
    assertThat(edge(map, "service:order", "service:inventory")).contains("requests=5", "errors=0", "kind=http");
    assertThat(edge(map, "service:order", "topic:stock-reductions")).contains("requests=2", "errors=0", "p95Ms=4.0", "kind=kafka");
    assertThat(edge(map, "topic:stock-reductions", "service:inventory")).contains("requests=3", "errors=1", "errorRate=0.3333", "p95PublishToProcessMs=7.0");
    assertThat(edge(map, "service:inventory", "topic:stock-reduction-results")).contains("requests=2");
    assertThat(edge(map, "topic:stock-reduction-results", "service:order")).contains("requests=2", "p95Ms=6.0", "p95PublishToProcessMs=8.0");
    assertThat(map.getJsonArray("edges")).hasSize(6);
  }

  private static String edge(JsonObject map, String source, String target) {
    return map.getJsonArray("edges").stream().map(e -> (JsonObject) e)
        .filter(e -> e.getString("source").equals(source) && e.getString("target").equals(target))
        .map(e -> e.getMap().toString().replace(" ", "")).findFirst().orElse("(no edge " + source + " -> " + target + ")");
  }

  @Test
  void servicesAndOperationsFeedTheSearchForm() {
    assertThat(ok("/api/services").getJsonArray("services").stream().map(s -> ((JsonObject) s).getString("name")))
        .containsExactly("inventory", "order");
    assertThat(ok("/api/operations?service=inventory").getJsonArray("operations").stream().map(s -> ((JsonObject) s).getString("name")))
        .containsExactly("GET /list-products", "stock-reduction-results publish", "stock-reductions process");
  }

  @Test
  void everyBadParameterIs400WithAJsonReasonNamingIt() {
    String[][] cases = {
        {"/api/traces/123", "traceId", "is not a trace id"},
        {"/api/traces/" + "0".repeat(32), "traceId", "all-zero"},
        {"/api/traces/" + "g".repeat(32), "traceId", "32 hexadecimal digits"},
        {"/api/traces/" + order.traceId() + "?x=1", "x", "unknown parameter"},
        {"/api/traces?lookback=forever", "lookback", "is not an age"},
        {"/api/traces?lookback=0m", "lookback", "more than 0"},
        {"/api/traces?lookback=90d", "lookback", "at most 31 days"},
        {"/api/traces?lookback=1h&from=2026-01-01T00:00:00Z", "lookback", "not both"},
        {"/api/traces?from=yesterday", "from", "is not a time"},
        {"/api/traces?to=2026-01-01T00:00:00Z", "from", "from is missing"},
        {"/api/traces?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from", "must be before"},
        {"/api/traces?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "from", "longer than 31 days"},
        {"/api/traces?service=" + q("order service!"), "service", "is not a service name"},
        {"/api/traces?operation=" + q("x".repeat(201)), "operation", "longer than 200"},
        {"/api/traces?status=broken", "status", "is not one of error, ok"},
        {"/api/traces?minDuration=fast", "minDuration", "is not a duration"},
        {"/api/traces?maxDuration=-5ms", "maxDuration", "is not a duration"},
        {"/api/traces?minDuration=2s&maxDuration=1s", "minDuration", "larger than maxDuration"},
        {"/api/traces?attr=novalue", "attr", "is not key=value"},
        {"/api/traces?attr=" + q("=value"), "attr", "is not key=value"},
        {"/api/traces?attr=" + q("bad key=v"), "attr", "is not a key"},
        {"/api/traces?" + "attr=a%3D1&".repeat(6), "attr", "at most 5"},
        {"/api/traces?limit=0", "limit", "out of range"},
        {"/api/traces?limit=101", "limit", "out of range"},
        {"/api/traces?limit=ten", "limit", "not a whole number"},
        {"/api/traces?offset=-1", "offset", "not a whole number"},
        {"/api/traces?offset=10001", "offset", "out of range"},
        {"/api/traces?limit=5&limit=6", "limit", "more than once"},
        {"/api/traces?servic=order", "servic", "unknown parameter"},
        {"/api/operations", "service", "service is required"},
        {"/api/operations?service=" + q("a b"), "service", "is not a service name"},
        {"/api/services?lookback=1y", "lookback", "is not an age"},
        {"/api/service-map?from=never", "from", "is not a time"},
        {"/api/service-map?service=order", "service", "unknown parameter"},
        {"/api/alerts?state=firing", "state", "unknown parameter"},
    };
    for (String[] c : cases) {
      RunningExplorer.Response r = explorer.get(c[0]);
      assertThat(r.status()).as(c[0] + " -> " + r.body()).isEqualTo(400);
      JsonObject body = r.json();
      assertThat(body.fieldNames()).as(c[0]).containsExactlyInAnyOrder("error", "message", "parameter");
      assertThat(body.getString("error")).isEqualTo("invalid_parameter");
      assertThat(body.getString("parameter")).as(c[0]).isEqualTo(c[1]);
      assertThat(body.getString("message")).as(c[0]).contains(c[2]);
    }
  }

  @Test
  void sqlInjectionInEveryParameterIs400AndChangesNothing() {
    long spans = TraceFixtures.count(db, "otel_traces");
    long logs = TraceFixtures.count(db, "otel_logs");
    List<String> tables = TraceFixtures.tables(db);
    String[] payloads = {
        "x' OR '1'='1",
        "x'; DROP TABLE otel_traces; --",
        "1; DROP TABLE otel_logs",
        "order\" OR 1=1 --",
        "1) UNION SELECT name FROM system.tables --",
        "x\\' OR 1=1",
        "{service:String}'",
        "`otel_traces`",
        "1h/**/OR/**/1=1",
    };
    String[] parameters = {"service", "operation", "status", "minDuration", "maxDuration", "lookback", "from", "to", "limit", "offset"};
    int checked = 0;
    for (String payload : payloads) {
      for (String p : parameters) {
        String extra = p.equals("to") ? "from=2026-01-01T00:00:00Z&" : "";
        checked += expect400("/api/traces?" + extra + p + "=" + q(payload), p);
      }
      checked += expect400("/api/traces?attr=" + q(payload), "attr");
      checked += expect400("/api/traces?attr=" + q("order.id=" + payload), "attr");
      checked += expect400("/api/traces?attr=" + q(payload + "=x"), "attr");
      checked += expect400("/api/traces/" + q(payload).replace("+", "%20"), "traceId");
      checked += expect400("/api/traces/" + order.traceId() + "'%20OR%20'1'='1", "traceId");
      checked += expect400("/api/operations?service=" + q(payload), "service");
      checked += expect400("/api/services?lookback=" + q(payload), "lookback");
      checked += expect400("/api/service-map?from=" + q(payload), "from");
      checked += expect400("/api/service-map?lookback=" + q(payload), "lookback");
      checked += expect400("/api/traces?" + q(payload) + "=1", null);
    }
    assertThat(checked).isEqualTo(payloads.length * (parameters.length + 10));
    assertThat(TraceFixtures.count(db, "otel_traces")).isEqualTo(spans);
    assertThat(TraceFixtures.count(db, "otel_logs")).isEqualTo(logs);
    assertThat(TraceFixtures.tables(db)).isEqualTo(tables);
    // and the data still reads as before
    assertThat(ok("/api/traces?lookback=1h").getLong("total")).isEqualTo(6);
  }

  private int expect400(String path, String parameter) {
    RunningExplorer.Response r = explorer.get(path);
    assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(400);
    if (parameter != null) {
      assertThat(r.json().getString("parameter")).as(path).isEqualTo(parameter);
    }
    return 1;
  }

  @Test
  void pagesAndAssetsComeFromTheJarAndUnknownEndpointsAre404Json() {
    RunningExplorer.Response page = explorer.get("/trace/" + order.traceId());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("/static/trace.js").doesNotContain("http://", "https://");
    for (String asset : List.of("/", "/map", "/alerts", "/static/app.css", "/static/common.js", "/static/search.js", "/static/trace.js", "/static/map.js", "/static/alerts.js")) {
      RunningExplorer.Response r = explorer.get(asset);
      assertThat(r.status()).as(asset).isEqualTo(200);
      assertThat(r.body()).as(asset + " loads nothing from elsewhere").doesNotContain("https://", "//cdn");
    }
    assertThat(explorer.get("/static/..%2Fpom.xml").status()).isEqualTo(404);
    RunningExplorer.Response missing = explorer.get("/api/nothing-here");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().getString("error")).isEqualTo("not_found");
    assertThat(missing.json().getString("message")).isEqualTo("no such endpoint: GET /api/nothing-here; see GET /api");
    assertThat(ok("/api").getJsonArray("endpoints")).isNotEmpty();
    JsonObject health = ok("/api/health");
    assertThat(health.getString("status")).isEqualTo("UP");
    assertThat(health.getJsonObject("checks").getJsonObject("clickhouse").getString("status")).isEqualTo("UP");
    assertThat(ok("/api/alerts").getJsonArray("rules")).isEmpty();
  }
}
