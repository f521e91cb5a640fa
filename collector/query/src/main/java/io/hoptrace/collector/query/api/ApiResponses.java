package io.hoptrace.collector.query.api;

import io.hoptrace.collector.query.clickhouse.ClickHouseException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes API answers: JSON bodies, and failures turned into JSON errors with the right status. */
public final class ApiResponses {
  private static final Logger log = LoggerFactory.getLogger(ApiResponses.class);

  private ApiResponses() {}

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /** Answers with what the future yields, or the error it failed with. */
  public static void respond(RoutingContext ctx, Future<JsonObject> result) {
    result.onSuccess(body -> json(ctx, 200, body)).onFailure(e -> failure(ctx, e));
  }

  /** Router failure handler: every failure of an API route becomes a JSON error. */
  public static void failure(RoutingContext ctx) {
    Throwable e = ctx.failure();
    if (e == null) {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      json(ctx, status, new JsonObject().put("error", status == 404 ? "not found" : "error")
          .put("message", status == 404 ? "no such endpoint: " + ctx.request().path() : "HTTP " + status));
      return;
    }
    failure(ctx, e);
  }

  static void failure(RoutingContext ctx, Throwable e) {
    if (e instanceof ApiError api) {
      json(ctx, api.status(), api.toJson());
    } else if (e instanceof ClickHouseException) {
      log.warn("{} {}: {}", ctx.request().method(), ctx.request().uri(), e.getMessage());
      json(ctx, 503, new JsonObject().put("error", "storage unavailable").put("message", e.getMessage()));
    } else {
      log.error("{} {} failed", ctx.request().method(), ctx.request().uri(), e);
      json(ctx, 500, new JsonObject().put("error", "internal error").put("message", String.valueOf(e.getMessage())));
    }
  }
}
