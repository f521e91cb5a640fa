package io.hoptrace.collector.health;

import io.hoptrace.web.ApiRouter;
import io.hoptrace.web.Health;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/** {@code GET /} on the health port ({@link HealthConfig}): the collector's {@link Health} answer, 200 or 503. */
public final class HealthServer {
  private HealthServer() {}

  public static Future<HttpServer> listen(Vertx vertx, HealthConfig config, Health health) {
    Router router = ApiRouter.create(vertx);
    router.get("/").handler(health);
    return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host());
  }
}
