package io.hoptrace.collector.query;

import io.hoptrace.collector.query.alerts.AlertEvaluator;
import io.hoptrace.collector.query.alerts.WebhookNotifier;
import io.hoptrace.collector.query.api.QueryApi;
import io.hoptrace.collector.query.clickhouse.ClickHouseHttp;
import io.hoptrace.collector.query.web.WebAssets;
import io.hoptrace.web.ApiRouter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's query role: the trace explorer (pages and JSON API) on {@code COLLECTOR_QUERY_PORT}
 * and the alert evaluator, both over ClickHouse. Deploy it in any Vert.x instance:
 * {@code vertx.deployVerticle(new QueryRole(QueryConfig.fromEnv(env)))}.
 */
public final class QueryRole extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(QueryRole.class);

  private final QueryConfig config;
  private final WebAssets web;
  private ClickHouseHttp clickHouse;
  private WebhookNotifier notifier;
  private AlertEvaluator alerts;
  private HttpServer server;

  public QueryRole(QueryConfig config) {
    this.config = config;
    // read from the jar here, on the deploying thread: start() runs on the event loop
    this.web = new WebAssets();
  }

  @Override
  public Future<?> start() {
    clickHouse = new ClickHouseHttp(vertx, config.clickHouse(), config.queryTimeout());
    notifier = new WebhookNotifier(vertx, 4, Duration.ofSeconds(1));
    alerts = new AlertEvaluator(vertx, clickHouse, notifier, config.alertRules(), config.publicUrl(), Clock.systemUTC());

    Router router = ApiRouter.create(vertx);
    // before every page and endpoint; health stays open for probes and orchestrators
    router.route().handler(config.auth().handler(java.util.Set.of("/api/health")));
    new QueryApi(clickHouse, alerts, Clock.systemUTC()).mount(router);
    router.get("/").handler(web.page("index.html"));
    router.get("/search").handler(web.page("index.html"));
    router.get("/trace/:traceId").handler(web.page("trace.html"));
    router.get("/map").handler(web.page("map.html"));
    router.get("/alerts").handler(web.page("alerts.html"));
    router.get("/static/:name").handler(web::serveStatic);
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404)
        .putHeader("Content-Type", "text/plain; charset=utf-8").end("not found: " + ctx.request().path()));

    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(config.port(), config.host())
        .onSuccess(s -> {
          server = s;
          alerts.start();
          log.info("trace explorer on http://{}:{}{} (ClickHouse {}, alert rules: {} from {})",
              config.host(), s.actualPort(), config.auth().enabled() ? " (authentication required)" : "", config.clickHouse().url(), config.alertRules().rules().size(), config.alertRules().source());
        });
  }

  @Override
  public Future<?> stop() {
    if (alerts != null) {
      alerts.stop();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.onComplete(x -> {
      clickHouse.close();
      notifier.close();
    });
  }

  /** The port it listens on (the configured one, or the one picked when configured as 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
