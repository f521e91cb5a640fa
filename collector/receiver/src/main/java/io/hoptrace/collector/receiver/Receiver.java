package io.hoptrace.collector.receiver;

import io.hoptrace.collector.otlp.Signal;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;

/**
 * The receiver role: OTLP/HTTP and OTLP/gRPC servers on every event loop, one shared Kafka producer
 * behind them.
 */
public final class Receiver implements AutoCloseable {
  private final Vertx vertx;
  private final KafkaPublisher publisher;
  private String deploymentId;

  private Receiver(Vertx vertx, KafkaPublisher publisher) {
    this.vertx = vertx;
    this.publisher = publisher;
  }

  /** A verticle per event loop serving both ports (Vert.x shares the listening sockets between instances). */
  static final class ReceiverVerticle extends VerticleBase {
    private final ReceiverConfig config;
    private final Exporter exporter;

    ReceiverVerticle(ReceiverConfig config, Exporter exporter) {
      this.config = config;
      this.exporter = exporter;
    }

    @Override
    public Future<?> start() {
      return Future.all(new OtlpHttpServer(vertx, config, exporter).listen(), new OtlpGrpcServer(vertx, config, exporter).listen());
    }
  }

  public static Future<Receiver> start(Vertx vertx, ReceiverConfig config, ReceiverMetrics metrics) {
    InFlightBytes inFlight = new InFlightBytes(config.maxInFlightBytes());
    KafkaPublisher publisher = KafkaPublisher.create(config);
    List<String> topics = Arrays.stream(Signal.values()).filter(config::serves).map(config::topic).toList();
    vertx.executeBlocking(() -> {
      publisher.warmUp(topics);
      return null;
    }, false);
    metrics.inFlightBytes(inFlight::used);
    Exporter exporter = new MeteredExporter(new KafkaExporter(vertx, config, publisher, inFlight), metrics);
    Receiver receiver = new Receiver(vertx, publisher);
    return vertx.deployVerticle(() -> new ReceiverVerticle(config, exporter), new DeploymentOptions().setInstances(config.instances()))
        .map(id -> {
          receiver.deploymentId = id;
          return receiver;
        })
        .recover(e -> {
          publisher.close();
          return Future.failedFuture(e);
        });
  }

  @Override
  public void close() {
    if (deploymentId != null) {
      Promise<Void> p = Promise.promise();
      vertx.undeploy(deploymentId).onComplete(p);
      try {
        p.future().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        // stopping anyway
      }
    }
    publisher.close();
  }
}
