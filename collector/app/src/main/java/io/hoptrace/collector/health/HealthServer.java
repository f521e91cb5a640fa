package io.hoptrace.collector.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /} on the health port: 200 when every check is ok, 503 otherwise; the JSON body says why. */
public final class HealthServer {
  private final Vertx vertx;
  private final HealthConfig config;
  private final List<HealthCheck> checks;

  public HealthServer(Vertx vertx, HealthConfig config, List<HealthCheck> checks) {
    this.vertx = vertx;
    this.config = config;
    this.checks = List.copyOf(checks);
  }

  public Future<HttpServer> listen() {
    Router router = Router.router(vertx);
    router.get("/").handler(ctx -> evaluate().onComplete(ar -> {
      JsonObject body = ar.succeeded() ? ar.result() : new JsonObject().put("status", "unavailable").put("error", String.valueOf(ar.cause()));
      boolean ok = "ok".equals(body.getString("status"));
      ctx.response().setStatusCode(ok ? 200 : 503).putHeader("Content-Type", "application/json").end(body.encodePrettily());
    }));
    return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host());
  }

  public Future<JsonObject> evaluate() {
    List<Future<HealthCheck.Status>> results = new ArrayList<>();
    for (HealthCheck c : checks) {
      results.add(c.check().recover(e -> Future.succeededFuture(new HealthCheck.Status(false, String.valueOf(e)))));
    }
    return Future.join(results).transform(ignored -> {
      JsonObject out = new JsonObject();
      JsonObject detail = new JsonObject();
      boolean ok = true;
      for (int i = 0; i < checks.size(); i++) {
        HealthCheck.Status s = results.get(i).result();
        ok &= s.ok();
        detail.put(checks.get(i).name(), new JsonObject().put("ok", s.ok()).put("detail", s.detail()));
      }
      out.put("status", ok ? "ok" : "unavailable");
      out.put("checks", detail);
      return Future.succeededFuture(out);
    });
  }
}
