package io.hoptrace.order;

import io.hoptrace.kafka.KafkaProbe;
import io.hoptrace.order.hop.OrderHopVerticle;
import io.hoptrace.order.hop.OrderStateReaders;
import io.hoptrace.order.hop.StockReductionPublisher;
import io.hoptrace.order.http.OrderHttpVerticle;
import io.hoptrace.order.orders.OrderBook;
import io.hoptrace.telemetry.ServiceLauncher;
import io.hoptrace.telemetry.Telemetry;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The order service wired: the Kafka hop (publisher + state readers) and the HTTP API, one verticle each. */
public final class OrderApp implements ServiceLauncher.Running {
  private final Vertx vertx;
  private final OrderConfig config;
  private final OrderHttpVerticle http;
  private final OrderBook book;

  private OrderApp(Vertx vertx, OrderConfig config, OrderHttpVerticle http, OrderBook book) {
    this.vertx = vertx;
    this.config = config;
    this.http = http;
    this.book = book;
  }

  public static Future<OrderApp> deploy(Vertx vertx, OrderConfig config, Telemetry telemetry) {
    KafkaTracing tracing = KafkaTracing.create(telemetry.openTelemetry());
    OrderBook book = new OrderBook(config.memory(), java.time.Clock.systemUTC());
    OrderStateReaders readers = new OrderStateReaders(config, book, tracing, telemetry.meter());
    // Kafka clients resolve addresses when created: off the event loop
    return vertx.executeBlocking(() -> new KafkaProbe(config.kafkaBootstrapServers(), 2_000))
        .compose(probe -> vertx.executeBlocking(() -> new StockReductionPublisher(config, tracing, readers.settlement())).compose(publisher -> {
          OrderHttpVerticle http = new OrderHttpVerticle(config, book, readers, publisher, probe, telemetry.meter());
          return vertx.deployVerticle(new OrderHopVerticle(readers, publisher))
              .compose(id -> vertx.deployVerticle(http))
              .map(id -> new OrderApp(vertx, config, http, book));
        }));
  }

  public int httpPort() {
    return http.port();
  }

  public OrderBook book() {
    return book;
  }

  @Override
  public String describe() {
    return "order listening on http://" + config.httpHost() + ":" + httpPort() + " (Kafka " + config.kafkaBootstrapServers() + ")";
  }

  /** Undeploys everything and closes Vert.x. */
  @Override
  public Future<Void> close() {
    return vertx.close();
  }
}
