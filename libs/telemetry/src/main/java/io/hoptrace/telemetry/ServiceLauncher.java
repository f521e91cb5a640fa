package io.hoptrace.telemetry;

import io.hoptrace.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@code main} of a Vert.x service: read the configuration (a bad value ends the process with
 * the message, exit code 2), build the telemetry, build Vert.x with the tracer, deploy, and on
 * shutdown undeploy before the telemetry flushes its last spans.
 */
public final class ServiceLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

  /** A deployed service: where it listens, and how to stop it. */
  public interface Running {
    String describe();

    Future<Void> close();
  }

  /** Deploys the service's verticles on a Vert.x built with the tracer. */
  @FunctionalInterface
  public interface Deployer<C> {
    Future<? extends Running> deploy(Vertx vertx, C config, Telemetry telemetry);
  }

  private ServiceLauncher() {}

  public static <C> void launch(String service, Function<Env, C> readConfig, Deployer<C> deployer) {
    C config;
    Telemetry telemetry;
    try {
      config = readConfig.apply(Env.system());
      telemetry = Telemetry.builder(service).build();
    } catch (Env.ConfigException e) {
      // a bad variable (ours or an OTEL_* one: Telemetry translates those) is named, not dumped as a stack trace
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = telemetry.vertxBuilder().build();
    deployer.deploy(vertx, config, telemetry)
        .onSuccess(app -> {
          LOG.info("{}", app.describe());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(app, telemetry), service + "-shutdown"));
        })
        .onFailure(e -> {
          LOG.error("{} could not start: {}", service, e.getMessage(), e);
          telemetry.close();
          System.exit(1);
        });
  }

  private static void stop(Running app, Telemetry telemetry) {
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
