package io.hoptrace.order;

import io.hoptrace.process.Env;
import io.hoptrace.telemetry.Telemetry;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The order process: configuration, telemetry, Vert.x with the tracer, the verticles. */
public final class OrderMain {
  private static final Logger LOG = LoggerFactory.getLogger(OrderMain.class);

  private OrderMain() {}

  public static void main(String[] args) {
    OrderConfig config;
    try {
      config = OrderConfig.fromEnv(Env.system());
    } catch (Env.ConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Telemetry telemetry = Telemetry.builder("order").build();
    Vertx vertx = telemetry.vertxBuilder().build();
    OrderApp.deploy(vertx, config, telemetry)
        .onSuccess(app -> {
          LOG.info("order listening on http://{}:{} (Kafka {})", config.httpHost(), app.httpPort(), config.kafkaBootstrapServers());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(app, telemetry), "order-shutdown"));
        })
        .onFailure(e -> {
          LOG.error("order could not start: {}", e.getMessage(), e);
          telemetry.close();
          System.exit(1);
        });
  }

  private static void stop(OrderApp app, Telemetry telemetry) {
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
