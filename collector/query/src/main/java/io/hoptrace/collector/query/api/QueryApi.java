package io.hoptrace.collector.query.api;

import io.hoptrace.collector.query.alerts.AlertEvaluator;
import io.hoptrace.collector.query.clickhouse.ClickHouseException;
import io.hoptrace.collector.query.clickhouse.ClickHouseHttp;
import io.hoptrace.collector.query.search.SearchCriteria;
import io.hoptrace.collector.query.search.ServiceCatalog;
import io.hoptrace.collector.query.search.TraceSearch;
import io.hoptrace.collector.query.servicemap.ServiceMap;
import io.hoptrace.collector.query.trace.TraceAssembler;
import io.hoptrace.collector.query.trace.TraceReader;
import io.hoptrace.web.ApiError;
import io.hoptrace.web.ApiRouter;
import io.hoptrace.web.Health;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api}: every page of the explorer reads these, and so does {@code ./stack
 * trace}. Each handler validates its parameters ({@link Params}), then composes one or more
 * asynchronous ClickHouse reads. Errors are the services' {@link ApiError}s, written by the
 * {@link ApiRouter} it is mounted on; ClickHouse unreachable is {@code 503 clickhouse_unavailable}.
 */
public final class QueryApi {
  private static final Logger log = LoggerFactory.getLogger(QueryApi.class);
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

  /** Adds the routes under {@code /api} to a router made by {@link ApiRouter#create}. */
  public void mount(Router router) {
    router.route("/api/*").handler(ctx -> {
      ctx.response().putHeader("cache-control", "no-store"); // answers are live data
      ctx.next();
    });
    router.get("/api").handler(ctx -> ApiRouter.json(ctx.response(), index()));
    router.get("/api/health").handler(health());
    router.get("/api/services").handler(ctx -> respond(ctx, services(ctx)));
    router.get("/api/operations").handler(ctx -> respond(ctx, operations(ctx)));
    router.get("/api/traces").handler(ctx -> respond(ctx, traces(ctx)));
    router.get("/api/traces/:traceId").handler(ctx -> respond(ctx, trace(ctx)));
    router.get("/api/service-map").handler(ctx -> respond(ctx, map(ctx)));
    router.get("/api/alerts").handler(ctx -> respond(ctx, alerts(ctx)));
    router.route("/api/*").handler(ctx -> {
      throw ApiError.notFound("not_found", "no such endpoint: " + ctx.request().method() + " " + ctx.request().path() + "; see GET /api");
    });
  }

  /** Answers 200 with what the future yields, or fails the request with its error (written by ApiRouter). */
  private static void respond(RoutingContext ctx, Future<JsonObject> result) {
    result.onSuccess(body -> ApiRouter.json(ctx.response(), body)).onFailure(e -> ctx.fail(apiError(ctx, e)));
  }

  private static Throwable apiError(RoutingContext ctx, Throwable e) {
    if (e instanceof ClickHouseException) {
      log.warn("{} {}: {}", ctx.request().method(), ctx.request().uri(), e.getMessage());
      return ApiError.unavailable("clickhouse_unavailable", e.getMessage());
    }
    return e;
  }

  private Future<JsonObject> services(RoutingContext ctx) {
    return Future.succeededFuture()
        .compose(x -> catalog.services(TimeRange.from(params(ctx, RANGE), clock, Duration.ofDays(1))));
  }

  private Future<JsonObject> operations(RoutingContext ctx) {
    return Future.succeededFuture().compose(x -> {
      Params p = params(ctx, Set.of("service", "lookback", "from", "to"));
      String service = p.matching("service", Params.SERVICE, "a service name (letters, digits, _ . - / :)")
          .orElseThrow(() -> ApiError.invalidParameter("service", "service is required"));
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
          throw ApiError.notFound("unknown_trace", "no spans of trace " + traceId + " in ClickHouse (yet): telemetry arrives a few seconds after the request, and traces older than the retention are gone");
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

  private Health health() {
    return Health.builder()
        .check("clickhouse", () -> clickHouse.select("SELECT 1 AS ok", Map.of())
            .map(r -> Health.Check.up("ClickHouse answers"))
            .otherwise(e -> Health.Check.down(e.getMessage() + "; the API answers 503 clickhouse_unavailable until it is back")))
        .fields(() -> new JsonObject().put("service", "explorer"))
        .build();
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
        .put("documentation", "docs/explorer.md");
  }
}
