package io.hoptrace.inventory.http;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.inventory.hop.Restocks;
import io.hoptrace.inventory.hop.StockKeeper;
import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.hoptrace.inventory.stock.RestockRequest;
import io.hoptrace.kafka.KafkaProbe;
import io.hoptrace.telemetry.http.HttpTelemetry;
import io.hoptrace.web.ApiDocs;
import io.hoptrace.web.ApiError;
import io.hoptrace.web.ApiRouter;
import io.hoptrace.web.Health;
import io.hoptrace.web.JsonRequest;
import io.opentelemetry.api.metrics.Meter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.opentelemetry.context.Context;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The inventory HTTP API: {@code /health}, {@code /list-products}, {@code /reduce-stock}, {@code /restock}, {@code /docs}. */
public final class InventoryHttpVerticle extends VerticleBase {
  private final InventoryConfig config;
  private final StockKeeper keeper;
  private final KafkaProbe probe;
  private final Meter meter;
  private HttpServer server;

  public InventoryHttpVerticle(InventoryConfig config, StockKeeper keeper, KafkaProbe probe, Meter meter) {
    this.config = config;
    this.keeper = keeper;
    this.probe = probe;
    this.meter = meter;
  }

  @Override
  public Future<?> start() {
    Router router = ApiRouter.create(vertx, HttpTelemetry::currentTraceId, HttpTelemetry.create(meter));
    HttpTelemetry.endpoint(router, HttpMethod.GET, "/health").handler(health());
    HttpTelemetry.endpoint(router, HttpMethod.GET, "/list-products").handler(this::listProducts);
    HttpTelemetry.endpoint(router, HttpMethod.POST, "/reduce-stock").handler(this::reduceStock);
    HttpTelemetry.endpoint(router, HttpMethod.POST, "/restock").handler(this::restock);
    return ApiDocs.mount(vertx, router, "io/hoptrace/inventory/openapi.yaml")
        .compose(v -> vertx.createHttpServer().requestHandler(router).listen(config.httpPort(), config.httpHost()))
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    // the probe's admin client closes blocking: on a worker
    return vertx.executeBlocking(() -> {
      probe.close();
      return null;
    });
  }

  /** The port actually bound (tests may ask for port 0). */
  public int port() {
    return server.actualPort();
  }

  private void listProducts(RoutingContext ctx) {
    if (keeper.phase() != StockKeeper.Phase.READY && keeper.products().isEmpty()) {
      throw ApiError.unavailable("not_ready", "inventory is still rebuilding its stock from Kafka; try again shortly");
    }
    JsonArray products = new JsonArray();
    keeper.products().values().forEach(p -> products.add(p.toJson()));
    ok(ctx, 200, new JsonObject().put("products", products));
  }

  private void reduceStock(RoutingContext ctx) {
    JsonRequest body = JsonRequest.parse(ctx.body().buffer());
    String productId = body.requiredId("productId");
    int quantity = body.requiredInt("quantity", 1, InventoryConfig.MAX_QUANTITY);
    String requestId = body.optionalId("requestId").orElseGet(() -> "http-" + UUID.randomUUID());
    Product product = keeper.products().get(productId);
    if (product == null) {
      throw ApiError.notFound("unknown_product", "no product '" + productId + "'; see GET /list-products");
    }
    if (!keeper.owns(productId)) {
      forwardReduction(ctx, new ReductionRequest(requestId, productId, quantity));
      return;
    }
    Future.fromCompletionStage(keeper.submit(new ReductionRequest(requestId, productId, quantity)), vertx.getOrCreateContext())
        .timeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(d -> answer(ctx, d))
        .onFailure(e -> ApiRouter.send(ctx, ApiError.unavailable("kafka_unavailable",
            "the stock reduction could not be recorded in Kafka within " + config.requestTimeout().toMillis() + " ms ("
                + e.getMessage() + "); retrying with the same requestId is safe"), HttpTelemetry::currentTraceId));
  }

  /**
   * A product another inventory instance owns: the reduction goes to {@code stock-reductions} for its
   * owner to decide (ADR 001); 202 PENDING once Kafka took it.
   */
  private void forwardReduction(RoutingContext ctx, ReductionRequest request) {
    Context parent = Context.current();
    io.vertx.core.Context here = vertx.getOrCreateContext();
    vertx.executeBlocking(() -> keeper.forward(request, parent), false)
        .compose(f -> Future.fromCompletionStage(f, here))
        .timeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(v -> ok(ctx, 202, new JsonObject().put("requestId", request.requestId()).put("productId", request.productId())
            .put("quantity", request.quantity()).put("status", "PENDING").put("message", "another inventory instance owns '"
                + request.productId() + "': the reduction is in Kafka and is decided there once per requestId")))
        .onFailure(e -> ApiRouter.send(ctx, ApiError.unavailable("kafka_unavailable", "the stock reduction could not be handed to Kafka ("
            + e.getMessage() + "); retrying with the same requestId is safe"), HttpTelemetry::currentTraceId));
  }

  /**
   * Adds stock (or, with {@code "create": true}, a product) through Kafka: validated here, published
   * to {@code stock-restocks}, applied by the stock keeper in its transaction; answered once applied,
   * or 202 PENDING when that takes longer than the request timeout (it is still applied once).
   */
  private void restock(RoutingContext ctx) {
    JsonRequest body = JsonRequest.parse(ctx.body().buffer());
    String productId = body.requiredId("productId");
    int quantity = body.requiredInt("quantity", 1, RestockRequest.MAX_QUANTITY);
    String requestId = body.optionalId("requestId").orElseGet(() -> "restock-" + UUID.randomUUID());
    boolean create = body.optionalBoolean("create", false);
    String name = body.optionalText("name", 100).orElse(productId);
    double price = body.optionalNumber("price", 0, 1_000_000).orElse(0.0);
    if (!create && !keeper.products().containsKey(productId)) {
      throw ApiError.notFound("unknown_product", "no product '" + productId + "'; see GET /list-products, or send \"create\": true to add it");
    }
    RestockRequest request = new RestockRequest(requestId, productId, quantity, create, name, price);
    Context parent = Context.current(); // the HTTP SERVER span: the publish span's parent
    io.vertx.core.Context here = vertx.getOrCreateContext();
    long timeoutMs = config.requestTimeout().toMillis();
    // the producer may block fetching metadata: publish on a worker
    vertx.executeBlocking(() -> keeper.restock(request, parent), false).onComplete(published -> {
      if (published.failed()) {
        ApiRouter.send(ctx, kafkaUnavailable(published.cause()), HttpTelemetry::currentTraceId);
        return;
      }
      CompletableFuture<Restocks.Restocked> applied = published.result();
      Future.fromCompletionStage(applied, here).timeout(timeoutMs, TimeUnit.MILLISECONDS)
          .onSuccess(r -> answerRestock(ctx, r))
          .onFailure(e -> {
            if (applied.isDone()) {
              ApiRouter.send(ctx, kafkaUnavailable(e), HttpTelemetry::currentTraceId);
              return;
            }
            keeper.forgetRestock(requestId, applied);
            ok(ctx, 202, new JsonObject().put("requestId", requestId).put("productId", productId).put("quantity", quantity)
                .put("status", "PENDING").put("message", "the restock is in Kafka but was not applied within " + timeoutMs
                    + " ms; it will be applied once: repeat it with the same requestId to hear its decision"));
          });
    });
  }

  private static ApiError kafkaUnavailable(Throwable e) {
    return ApiError.unavailable("kafka_unavailable", "the restock could not be handed to Kafka (" + e.getMessage()
        + "); retrying with the same requestId is safe");
  }

  private void answerRestock(RoutingContext ctx, Restocks.Restocked r) {
    Decision d = r.decision();
    if (d.confirmed()) {
      ok(ctx, 200, new JsonObject()
          .put("requestId", d.requestId())
          .put("productId", d.productId())
          .put("quantity", d.quantity())
          .put("status", d.status().name())
          .put("stock", d.stockAfter())
          .put("duplicate", r.duplicate()));
      return;
    }
    int status = switch (d.reason()) {
      case "unknown_product" -> 404;
      case "stock_limit" -> 409;
      default -> 400;
    };
    String again = r.duplicate() ? " (decided before for this requestId)" : "";
    ApiRouter.send(ctx, new ApiError(status, d.reason(), d.message() + again), HttpTelemetry::currentTraceId);
  }

  private void answer(RoutingContext ctx, Decision d) {
    if (d.confirmed()) {
      ok(ctx, 200, new JsonObject()
          .put("requestId", d.requestId())
          .put("productId", d.productId())
          .put("quantity", d.quantity())
          .put("status", d.status().name())
          .put("stock", d.stockAfter()));
      return;
    }
    int status = switch (d.reason()) {
      case "insufficient_stock" -> 409;
      case "unknown_product" -> 404;
      default -> 400;
    };
    ApiRouter.send(ctx, new ApiError(status, d.reason(), d.message()), HttpTelemetry::currentTraceId);
  }

  /** UP once Kafka answers and the stock was rebuilt from Kafka. */
  private Health health() {
    return Health.builder()
        .check("kafka", () -> Future.fromCompletionStage(probe.brokers(), vertx.getOrCreateContext())
            .map(n -> Health.Check.up(n + " broker(s) reachable at " + probe.bootstrapServers())
                .withDetails(new JsonObject().put("bootstrapServers", probe.bootstrapServers()).put("brokers", n)))
            .otherwise(e -> Health.Check.down("Kafka is unreachable at " + probe.bootstrapServers() + ": " + e.getMessage())))
        .checkNow("state", () -> keeper.phase() == StockKeeper.Phase.READY
            ? Health.Check.up("the stock was rebuilt from Kafka")
            : Health.Check.down("not caught up: inventory is " + keeper.phase().name().toLowerCase()
                + (keeper.lastError() == null ? "" : " (" + keeper.lastError() + ")")))
        .fields(() -> {
          JsonObject lag = new JsonObject();
          keeper.lag().forEach((tp, v) -> lag.put(tp.topic() + "-" + tp.partition(), v));
          return new JsonObject().put("service", "inventory").put("phase", keeper.phase().name()).put("products", keeper.products().size())
              .put("caughtUp", keeper.phase() == StockKeeper.Phase.READY).put("consumerLag", lag);
        })
        .traceId(HttpTelemetry::currentTraceId)
        .build();
  }

  private static void ok(RoutingContext ctx, int status, JsonObject body) {
    String traceId = HttpTelemetry.currentTraceId();
    if (traceId != null) {
      body.put("traceId", traceId);
    }
    ApiRouter.json(ctx.response().setStatusCode(status), body);
  }
}
