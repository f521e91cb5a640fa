package io.hoptrace.order.http;

import io.hoptrace.kafka.KafkaProbe;
import io.hoptrace.order.OrderConfig;
import io.hoptrace.order.hop.OrderStateReaders;
import io.hoptrace.order.hop.StockReductionPublisher;
import io.hoptrace.order.hop.StockReductionPublisher.Publication;
import io.hoptrace.order.orders.IdempotencyKey;
import io.hoptrace.order.orders.Order;
import io.hoptrace.order.orders.OrderBook;
import io.hoptrace.telemetry.http.HttpTelemetry;
import io.hoptrace.web.ApiDocs;
import io.hoptrace.web.ApiError;
import io.hoptrace.web.ApiRouter;
import io.hoptrace.web.Health;
import io.hoptrace.web.JsonRequest;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The order HTTP API: {@code /health}, {@code /list-orders}, {@code /list-products} (asks inventory),
 * {@code /order-product}, {@code /orders/{id}}, {@code /docs}.
 */
public final class OrderHttpVerticle extends VerticleBase {
  private final OrderConfig config;
  private final OrderBook book;
  private final OrderStateReaders state;
  private final StockReductionPublisher publisher;
  private final KafkaProbe probe;
  private final Meter meter;
  /** Idempotency-Keys whose first request is still being answered on this instance. */
  private final Set<String> keysInFlight = ConcurrentHashMap.newKeySet();
  private WebClient inventory;
  private HttpServer server;

  public OrderHttpVerticle(OrderConfig config, OrderBook book, OrderStateReaders state, StockReductionPublisher publisher,
      KafkaProbe probe, Meter meter) {
    this.config = config;
    this.book = book;
    this.state = state;
    this.publisher = publisher;
    this.probe = probe;
    this.meter = meter;
  }

  @Override
  public Future<?> start() {
    inventory = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000));
    Router router = ApiRouter.create(vertx, HttpTelemetry::currentTraceId, HttpTelemetry.create(meter));
    HttpTelemetry.endpoint(router, HttpMethod.GET, "/health").handler(health());
    HttpTelemetry.endpoint(router, HttpMethod.GET, "/list-orders").handler(this::listOrders);
    HttpTelemetry.endpoint(router, HttpMethod.GET, "/list-products").handler(this::listProducts);
    HttpTelemetry.endpoint(router, HttpMethod.POST, "/order-product").handler(this::orderProduct);
    HttpTelemetry.endpoint(router, HttpMethod.GET, "/orders/:id").handler(this::getOrder);
    return ApiDocs.mount(vertx, router, "io/hoptrace/order/openapi.yaml")
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

  public int port() {
    return server.actualPort();
  }

  /**
   * Places an order. The answer never claims more than is known: 503 only when the request certainly
   * is not in Kafka, 201 once the order is final, 202 while it is PENDING (also when Kafka did not
   * confirm the commit in time: the order service's reader then settles it, see PublishSettlement).
   * With an {@code Idempotency-Key}, a repeated request answers with the first order as it stands
   * (200, or 202 while PENDING), unless the first was refused with 503 (then it tries again).
   */
  private void orderProduct(RoutingContext ctx) {
    long start = System.nanoTime();
    long deadline = start + config.resultTimeout().toNanos();
    // a send that starts by then has its definite outcome (delivery timeout) within the result timeout
    long sendBy = start + Math.max(500_000_000L, config.resultTimeout().minus(config.publishTimeout()).toNanos());
    JsonRequest body = JsonRequest.parse(ctx.body().buffer());
    String productId = body.requiredId("productId");
    int quantity = body.requiredInt("quantity", 1, OrderConfig.MAX_QUANTITY);
    String key = idempotencyKey(ctx);
    if (!state.caughtUp()) {
      throw ApiError.unavailable("not_ready", "the order service is still reading its state from Kafka"
          + (state.lastError() == null ? "" : " (" + state.lastError() + ")") + "; try again shortly");
    }
    String orderId = key == null ? UUID.randomUUID().toString() : IdempotencyKey.orderId(key);
    if (key != null) {
      Order first = book.get(orderId).orElse(null);
      if (first != null) {
        if (!first.sameRequest(productId, quantity)) {
          throw new ApiError(422, "idempotency_key_reused", "this " + IdempotencyKey.HEADER + " was used for order " + orderId
              + " (" + first.quantity() + " x " + first.productId() + "); use a new key for a different order");
        }
        ctx.response().putHeader("idempotent-replayed", "true");
        reply(ctx, first.completed() ? 200 : 202, first);
        return;
      }
      if (!keysInFlight.add(key)) {
        throw ApiError.conflict("idempotency_key_in_use", "a request with this " + IdempotencyKey.HEADER
            + " is still being processed; retry shortly and it answers with that order");
      }
    }
    if (!state.knowsProduct(productId)) {
      if (key != null) {
        keysInFlight.remove(key);
      }
      throw ApiError.notFound("unknown_product", "no product '" + productId + "'; see GET /list-products");
    }
    Order pending = Order.pending(orderId, productId, quantity, HttpTelemetry.currentTraceId(), Instant.now(), key);
    io.vertx.core.Context here = vertx.getOrCreateContext();
    Future<Order> outcome = Future.fromCompletionStage(book.expect(orderId), here);
    Future<Publication> publication = publisher.publish(pending, Context.current(), here, sendBy);
    publication.timeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
        .transform(published -> answer(pending, publication, published, outcome, deadline))
        .onComplete(done -> {
          if (key != null) {
            keysInFlight.remove(key);
          }
        })
        .onSuccess(answer -> reply(ctx, answer.completed() ? 201 : 202, answer))
        .onFailure(ctx::fail);
  }

  private Future<Order> answer(Order pending, Future<Publication> publication, AsyncResult<Publication> published,
      Future<Order> outcome, long deadline) {
    if (published.failed() && published.cause() instanceof StockReductionPublisher.NotPublished e) {
      book.forget(pending.orderId());
      state.countFailed();
      return Future.failedFuture(ApiError.unavailable("kafka_unavailable",
          "Kafka did not accept the stock-reduction request within " + config.publishTimeout().toMillis()
              + " ms (" + e.getMessage() + "); the order was not created, try again later"));
    }
    Order placed = book.place(pending);
    if (published.succeeded() && published.result() == Publication.COMMITTED) {
      return outcome.timeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
          .recover(timeout -> Future.succeededFuture(book.get(pending.orderId()).orElse(placed)));
    }
    if (published.failed()) {
      // still publishing at the deadline: answer PENDING now, settle when the outcome arrives
      publication.onFailure(e -> {
        if (book.failUnpublished(pending, "Kafka did not accept the stock-reduction request (" + e.getMessage()
            + "); nothing was reserved, place the order again", Instant.now())) {
          state.countFailed();
        }
      });
    }
    return Future.succeededFuture(placed);
  }

  /** The validated {@code Idempotency-Key} header, or null when there is none. */
  private static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader(IdempotencyKey.HEADER);
    if (key == null) {
      return null;
    }
    String problem = IdempotencyKey.problem(key);
    if (problem != null) {
      throw ApiError.badRequest("invalid_idempotency_key", problem);
    }
    return key;
  }

  private Void reply(RoutingContext ctx, int status, Order order) {
    if (status == 202) {
      ctx.response().putHeader("location", "/orders/" + order.orderId());
    }
    ApiRouter.json(ctx.response().setStatusCode(status), order.toJson());
    return null;
  }

  private void getOrder(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Order order = book.get(id).orElseThrow(() -> {
      OrderBook.Kept kept = book.kept();
      return ApiError.notFound("unknown_order", "no order '" + id + "' among the orders this service keeps ("
          + kept.bound() + (kept.oldest() == null ? "" : "; the oldest kept was created at " + kept.oldest())
          + "): it never existed, or it is older and no longer kept; see GET /list-orders");
    });
    ApiRouter.json(ctx.response().setStatusCode(200), order.toJson());
  }

  private void listOrders(RoutingContext ctx) {
    JsonArray orders = new JsonArray();
    book.all().forEach(o -> orders.add(o.toJson()));
    ok(ctx, 200, new JsonObject().put("orders", orders));
  }

  /** Asks inventory over HTTP: a traced client call (CLIENT span here, SERVER span there, one trace). */
  private void listProducts(RoutingContext ctx) {
    inventory.getAbs(config.inventoryUrl().resolve("/list-products").toString())
        .timeout(5_000)
        .send()
        .onSuccess(resp -> {
          if (resp.statusCode() != 200) {
            ApiRouter.send(ctx, ApiError.unavailable("inventory_unavailable", "inventory at " + config.inventoryUrl()
                + " answered " + resp.statusCode() + ": " + resp.bodyAsString()), HttpTelemetry::currentTraceId);
            return;
          }
          ok(ctx, 200, new JsonObject().put("products", resp.bodyAsJsonObject().getJsonArray("products")));
        })
        .onFailure(e -> ApiRouter.send(ctx, ApiError.unavailable("inventory_unavailable", "inventory at " + config.inventoryUrl()
            + " cannot be reached (" + e.getMessage() + "); is it running? (INVENTORY_URL)"), HttpTelemetry::currentTraceId));
  }

  /** UP once Kafka answers and orders, results and the catalogue were read, and the catalogue is not empty. */
  private Health health() {
    return Health.builder()
        .check("kafka", () -> Future.fromCompletionStage(probe.brokers(), vertx.getOrCreateContext())
            .map(n -> Health.Check.up(n + " broker(s) reachable at " + probe.bootstrapServers())
                .withDetails(new JsonObject().put("bootstrapServers", probe.bootstrapServers()).put("brokers", n)))
            .otherwise(e -> Health.Check.down("Kafka is unreachable at " + probe.bootstrapServers() + ": " + e.getMessage())))
        .checkNow("state", () -> state.caughtUp()
            ? Health.Check.up("orders, results and the catalogue were read from Kafka")
            : Health.Check.down("not caught up: still reading orders, results and the catalogue from Kafka"
                + (state.lastError() == null ? "" : " (" + state.lastError() + ")")))
        .checkNow("catalogue", () -> state.productCount() > 0
            ? Health.Check.up(state.productCount() + " products in " + config.stockTopic())
            : Health.Check.down("the product catalogue (" + config.stockTopic()
                + ") is empty: inventory seeds it when it starts; is inventory running?"))
        .fields(() -> {
          JsonObject lag = new JsonObject();
          state.lag().forEach((tp, v) -> lag.put(tp.topic() + "-" + tp.partition(), v));
          OrderBook.Kept kept = book.kept();
          JsonObject memory = new JsonObject().put("orders", kept.orders()).put("dropped", kept.dropped())
              .put("oldest", kept.oldest() == null ? null : kept.oldest().toString())
              .put("maxOrders", kept.bound().orders()).put("window", kept.bound().windowText());
          return new JsonObject().put("service", "order").put("orders", kept.orders()).put("memory", memory).put("products", state.productCount())
              .put("caughtUp", state.caughtUp()).put("consumerLag", lag);
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
