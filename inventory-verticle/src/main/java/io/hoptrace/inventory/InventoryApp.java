package io.hoptrace.inventory;

import io.hoptrace.inventory.hop.StockKeeper;
import io.hoptrace.inventory.hop.StockKeeperVerticle;
import io.hoptrace.inventory.http.InventoryHttpVerticle;
import io.hoptrace.kafka.KafkaProbe;
import io.hoptrace.telemetry.ServiceLauncher;
import io.hoptrace.telemetry.Telemetry;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The inventory service wired: the stock keeper (state + Kafka hop) and the HTTP API, one verticle each. */
public final class InventoryApp implements ServiceLauncher.Running {
  private final Vertx vertx;
  private final InventoryConfig config;
  private final InventoryHttpVerticle http;
  private final StockKeeper keeper;

  private InventoryApp(Vertx vertx, InventoryConfig config, InventoryHttpVerticle http, StockKeeper keeper) {
    this.vertx = vertx;
    this.config = config;
    this.http = http;
    this.keeper = keeper;
  }

  public static Future<InventoryApp> deploy(Vertx vertx, InventoryConfig config, Telemetry telemetry) {
    StockKeeper keeper = new StockKeeper(config, KafkaTracing.create(telemetry.openTelemetry()), telemetry.tracer(), telemetry.meter());
    return vertx.executeBlocking(() -> new KafkaProbe(config.kafkaBootstrapServers(), 2_000)).compose(probe -> {
      InventoryHttpVerticle http = new InventoryHttpVerticle(config, keeper, probe, telemetry.meter());
      return vertx.deployVerticle(new StockKeeperVerticle(keeper))
          .compose(id -> vertx.deployVerticle(http))
          .map(id -> new InventoryApp(vertx, config, http, keeper));
    });
  }

  public int httpPort() {
    return http.port();
  }

  public StockKeeper keeper() {
    return keeper;
  }

  @Override
  public String describe() {
    return "inventory listening on http://" + config.httpHost() + ":" + httpPort() + " (Kafka " + config.kafkaBootstrapServers() + ")";
  }

  /** Undeploys the verticles (the keeper finishes its transaction and closes its clients). */
  @Override
  public Future<Void> close() {
    return vertx.close();
  }
}
