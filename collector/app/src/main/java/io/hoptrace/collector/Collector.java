package io.hoptrace.collector;

import io.hoptrace.collector.health.Checks;
import io.hoptrace.collector.health.HealthServer;
import io.hoptrace.collector.ingester.Ingester;
import io.hoptrace.collector.buffer.TelemetryTopics;
import io.hoptrace.collector.ingester.IngesterMetrics;
import io.hoptrace.collector.receiver.ReceiverMetrics;
import io.hoptrace.collector.metrics.SelfTelemetry;
import io.hoptrace.collector.receiver.Receiver;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.web.Health;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running collector: the roles of its config, health, self-telemetry. Wiring only. */
public final class Collector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Collector.class);

  private final Vertx vertx;
  private final SelfTelemetry telemetry;
  private final Admin admin;
  private Receiver receiver;
  private Ingester ingester;

  private Collector(Vertx vertx, SelfTelemetry telemetry, Admin admin) {
    this.vertx = vertx;
    this.telemetry = telemetry;
    this.admin = admin;
  }

  /** Starts every role of {@code config}; returns once all listen/consume. Throws (after cleaning up) otherwise. */
  public static Collector start(CollectorConfig config) throws Exception {
    Vertx vertx = Vertx.vertx();
    SelfTelemetry telemetry = SelfTelemetry.start(config.selfMetricsInterval(), config.selfMetricsEndpoint(),
        config.receiver().authToken(), config.receiver().tls().map(io.hoptrace.collector.receiver.ServerTls::certFile));
    var meter = telemetry.openTelemetry().getMeter("io.hoptrace.collector");
    Admin admin = TopicSetup.admin(config.receiver().kafkaBootstrapServers());
    Collector c = new Collector(vertx, telemetry, admin);
    try {
      ensureTopics(admin, config);
      Health.Builder health = Health.builder()
          .check("kafka", Checks.kafka(vertx, admin, config.receiver().kafkaBootstrapServers()))
          .fields(() -> new JsonObject().put("service", "collector")
              .put("roles", new JsonArray(config.roles().stream().sorted().map(r -> r.name().toLowerCase(Locale.ROOT)).toList()))
              .put("signals", new JsonArray(config.signals().stream().sorted().map(io.hoptrace.collector.otlp.Signal::label).toList())));
      if (config.has(Role.INGESTER)) {
        c.ingester = Ingester.start(config.ingester(), new IngesterMetrics(meter));
        health.check("clickhouse", Checks.clickHouse(vertx, c.ingester, config.ingester().clickHouse().url()))
            .checkNow("lag", Checks.lag(c.ingester, config.health().maxLag()))
            .checkNow("ingestion", Checks.ingestion(c.ingester));
      }
      if (config.has(Role.RECEIVER)) {
        c.receiver = Receiver.start(vertx, config.receiver(), new ReceiverMetrics(meter)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        log.info("receiver listening: OTLP/HTTP {}:{}, OTLP/gRPC {}:{}{}", config.receiver().host(), config.receiver().httpPort(),
            config.receiver().host(), config.receiver().grpcPort(), (config.receiver().tls().isPresent() ? " over TLS" : "")
                + (config.receiver().authToken().isPresent() ? " (bearer token required)" : ""));
      }
      if (config.has(Role.QUERY)) {
        vertx.deployVerticle(new io.hoptrace.collector.query.QueryRole(config.query().orElseThrow()))
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        log.info("query role: trace explorer on http://{}:{}/", config.query().get().host(), config.query().get().port());
      }
      HealthServer.listen(vertx, config.health(), health.build()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      log.info("collector up with roles {}, signals {}; health on http://{}:{}/", config.roles(), config.signals(), config.health().host(), config.health().port());
      return c;
    } catch (Exception e) {
      c.close();
      throw e;
    }
  }

  /** The telemetry topics and their dead-letter topics (idempotent); a warning when Kafka is not there yet. */
  private static void ensureTopics(Admin admin, CollectorConfig config) {
    try {
      TopicSetup.Report r = TopicSetup.ensure(admin, config.receiver().topics().specs());
      log.info("telemetry topics: {}", r);
    } catch (RuntimeException e) {
      log.warn("could not check the telemetry topics ({}); continuing, health reports Kafka", e.getMessage());
    }
  }

  @Override
  public void close() {
    if (receiver != null) {
      receiver.close(); // first stop accepting
    }
    if (ingester != null) {
      ingester.close();
    }
    telemetry.close();
    admin.close();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }
}
