package io.hoptrace.inventory;

import io.hoptrace.process.Env;
import io.hoptrace.telemetry.Telemetry;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The inventory process: configuration, telemetry, Vert.x with the tracer, the verticles. */
public final class InventoryMain {
  private static final Logger LOG = LoggerFactory.getLogger(InventoryMain.class);

  private InventoryMain() {}

  public static void main(String[] args) {
    InventoryConfig config;
    try {
      config = InventoryConfig.fromEnv(Env.system());
    } catch (Env.ConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Telemetry telemetry = Telemetry.builder("inventory").build();
    Vertx vertx = telemetry.vertxBuilder().build();
    InventoryApp.deploy(vertx, config, telemetry)
        .onSuccess(app -> {
          LOG.info("inventory listening on http://{}:{} (Kafka {})", config.httpHost(), app.httpPort(), config.kafkaBootstrapServers());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(app, telemetry), "inventory-shutdown"));
        })
        .onFailure(e -> {
          LOG.error("inventory could not start: {}", e.getMessage(), e);
          telemetry.close();
          System.exit(1);
        });
  }

  private static void stop(InventoryApp app, Telemetry telemetry) {
    CountDownLatch closed = new CountDownLatch(1);
    app.close().onComplete(ar -> closed.countDown());
    try {
      closed.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    telemetry.close();
  }
}
