package io.hoptrace.collector.query.api;

import io.hoptrace.collector.query.alerts.AlertEvaluator;
import io.hoptrace.collector.query.clickhouse.ClickHouseHttp;
import io.hoptrace.collector.query.search.SearchCriteria;
import io.hoptrace.collector.query.search.ServiceCatalog;
import io.hoptrace.collector.query.search.TraceSearch;
import io.hoptrace.collector.query.servicemap.ServiceMap;
import io.hoptrace.collector.query.trace.TraceAssembler;
import io.hoptrace.collector.query.trace.TraceReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The JSON API under {@code /api}: every page of the explorer reads these, and so does {@code ./stack
 * trace}. Each handler validates its parameters ({@link Params}), then composes one or more
 * asynchronous ClickHouse reads; errors become JSON ({@link ApiResponses}).
 */
public final class QueryApi {
  private static final Set<String> RANGE = Set.of("lookback", "from", "to");

  private final ClickHouseHttp clickHouse;
  private final TraceSearch search;
  private final ServiceCatalog catalog;
  private final TraceReader traces;
  private final ServiceMap serviceMap;
  private final AlertEvaluator alerts;
  private final Clock clock;

  public QueryApi(ClickHouseHttp clickHouse, AlertEvaluator alerts, Clock clock) {
    this.clickHouse = clickHouse;
    this.search = new TraceSearch(clickHouse);
    this.catalog = new ServiceCatalog(clickHouse);
    this.traces = new TraceReader(clickHouse);
    this.serviceMap = new ServiceMap(clickHouse);
    this.alerts = alerts;
    this.clock = clock;
  }

  public Router router(Vertx vertx) {
    Router api = Router.router(vertx);
    api.get("/").handler(ctx -> ApiResponses.json(ctx, 200, index()));
    api.get("/health").handler(this::health);
    api.get("/services").handler(ctx -> ApiResponses.respond(ctx, services(ctx)));
    api.get("/operations").handler(ctx -> ApiResponses.respond(ctx, operations(ctx)));
    api.get("/traces").handler(ctx -> ApiResponses.respond(ctx, traces(ctx)));
    api.get("/traces/:traceId").handler(ctx -> ApiResponses.respond(ctx, trace(ctx)));
    api.get("/service-map").handler(ctx -> ApiResponses.respond(ctx, map(ctx)));
    api.get("/alerts").handler(ctx -> ApiResponses.respond(ctx, alerts(ctx)));
    api.route().handler(ctx -> ApiResponses.json(ctx, 404, new JsonObject().put("error", "not found")
        .put("message", "no such endpoint: " + ctx.request().method() + " " + ctx.request().path() + "; see GET /api")));
    api.route().failureHandler(ApiResponses::failure);
    return api;
  }

  private Future<JsonObject> services(RoutingContext ctx) {
    return Future.succeededFuture()
        .compose(x -> catalog.services(TimeRange.from(params(ctx, RANGE), clock, Duration.ofDays(1))));
  }

  private Future<JsonObject> operations(RoutingContext ctx) {
    return Future.succeededFuture().compose(x -> {
      Params p = params(ctx, Set.of("service", "lookback", "from", "to"));
      String service = p.matching("service", Params.SERVICE, "a service name (letters, digits, _ . - / :)")
          .orElseThrow(() -> ApiError.badRequest("service", "service is required"));
      return catalog.operations(service, TimeRange.from(p, clock, Duration.ofDays(1)));
    });
  }

  private Future<JsonObject> traces(RoutingContext ctx) {
    return Future.succeededFuture().compose(x -> search.search(SearchCriteria.parse(params(ctx, SearchCriteria.PARAMETERS), clock)));
  }

  private Future<JsonObject> trace(RoutingContext ctx) {
    return Future.succeededFuture().compose(x -> {
      params(ctx, Set.of());
      String traceId = TraceIds.requireTraceId("traceId", ctx.pathParam("traceId"));
      return traces.read(traceId).map(rows -> {
        if (rows.spans().isEmpty()) {
          throw ApiError.notFound("no spans of trace " + traceId + " in ClickHouse (yet): telemetry arrives a few seconds after the request, and traces older than the retention are gone");
        }
        return TraceAssembler.assemble(rows);
      });
    });
  }

  private Future<JsonObject> map(RoutingContext ctx) {
    return Future.succeededFuture().compose(x -> serviceMap.build(TimeRange.from(params(ctx, RANGE), clock, TimeRange.DEFAULT_LOOKBACK)));
  }

  private Future<JsonObject> alerts(RoutingContext ctx) {
    return Future.succeededFuture().map(x -> {
      params(ctx, Set.of());
      return alerts.toJson();
    });
  }

  private void health(RoutingContext ctx) {
    clickHouse.select("SELECT 1 AS ok", Map.of())
        .onSuccess(r -> ApiResponses.json(ctx, 200, new JsonObject().put("status", "ok").put("clickhouse", "reachable")))
        .onFailure(e -> ApiResponses.json(ctx, 503, new JsonObject().put("status", "unavailable").put("clickhouse", e.getMessage())));
  }

  private static Params params(RoutingContext ctx, Set<String> allowed) {
    return new Params(ctx.queryParams(), allowed, Set.of("attr"));
  }

  /** What {@code GET /api} answers: the endpoints, one line each. */
  public static JsonObject index() {
    return new JsonObject().put("endpoints", new JsonArray()
        .add("GET /api/health")
        .add("GET /api/services?lookback=|from=&to=")
        .add("GET /api/operations?service=&lookback=|from=&to=")
        .add("GET /api/traces?service=&operation=&status=error|ok&minDuration=&maxDuration=&attr=key=value&lookback=|from=&to=&limit=&offset=")
        .add("GET /api/traces/{traceId}")
        .add("GET /api/service-map?lookback=|from=&to=")
        .add("GET /api/alerts"))
        .put("documentation", "README.md, section 'Watching traces'");
  }
}
