package io.hoptrace.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Vert.x Web router with the project's API conventions: JSON bodies up to 64 KiB, every error as
 * {@code {"error", "message"}} (+ {@code parameter}, {@code traceId}; see {@link ApiError}), unknown
 * paths 404, wrong methods 405, unexpected failures 500 with the cause logged. A handler refuses a
 * request by throwing (or failing its context with) an {@link ApiError}.
 */
public final class ApiRouter {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
  public static final long MAX_BODY_BYTES = 64 * 1024;

  private ApiRouter() {}

  /** Without telemetry: error bodies carry no {@code traceId}. */
  public static Router create(Vertx vertx) {
    return create(vertx, () -> null, RoutingContext::next);
  }

  /**
   * @param first handlers that run before any route (telemetry)
   * @param traceId supplies the current trace id for error bodies (null when tracing is off)
   */
  public static Router create(Vertx vertx, Supplier<String> traceId, Handler<RoutingContext> first) {
    Router router = Router.router(vertx);
    router.route().handler(first);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.errorHandler(404, ctx -> send(ctx, new ApiError(404, "not_found", "no such endpoint: " + ctx.request().method() + " " + ctx.request().path() + "; see /docs"), traceId));
    router.errorHandler(405, ctx -> send(ctx, new ApiError(405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path() + "; see /docs"), traceId));
    router.errorHandler(413, ctx -> {
      // the rest of the body is still on an HTTP/1.1 connection: the client must not reuse it
      if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2 && !ctx.response().headWritten()) {
        ctx.response().putHeader("connection", "close");
      }
      send(ctx, new ApiError(413, "body_too_large", "the request body is larger than " + MAX_BODY_BYTES + " bytes"), traceId);
    });
    router.errorHandler(500, ctx -> {
      Throwable failure = ctx.failure();
      if (failure instanceof ApiError e) {
        send(ctx, e, traceId);
      } else {
        LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
        send(ctx, new ApiError(500, "internal_error", "the request failed unexpectedly (" + failure + "); the log of the service says more"), traceId);
      }
    });
    return router;
  }

  /** Answers with the error as JSON (no-op when a response was already sent). */
  public static void send(RoutingContext ctx, ApiError e, Supplier<String> traceId) {
    HttpServerResponse r = ctx.response();
    if (r.ended() || r.headWritten()) {
      return;
    }
    JsonObject body = e.body();
    String id = traceId.get();
    if (id != null) {
      body.put("traceId", id);
    }
    json(r.setStatusCode(e.status()), body);
  }

  public static void json(HttpServerResponse r, JsonObject body) {
    r.putHeader("content-type", "application/json").end(body.encode());
  }
}
