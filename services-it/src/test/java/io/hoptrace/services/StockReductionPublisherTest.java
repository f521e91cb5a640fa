package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.kafka.TopicSpec;
import io.hoptrace.order.OrderConfig;
import io.hoptrace.order.hop.StockReductionPublisher;
import io.hoptrace.order.orders.Order;
import io.hoptrace.process.Env;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The order's Kafka hop on its own, asynchronously (vertx-junit5): the publish future completes on
 * the caller's Vert.x context only once Kafka acknowledged the record, which carries the PRODUCER
 * span's context; a request past its send deadline fails without reaching Kafka.
 */
@ExtendWith({VertxExtension.class, RealInfrastructure.class})
class StockReductionPublisherTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  private String topic;
  private String kafka;

  @BeforeEach
  void topic(Infrastructure infra) {
    topic = Infrastructure.unique("stock-reductions");
    kafka = infra.kafkaBootstrapServers();
    infra.createTopics(List.of(new TopicSpec(topic, 3, Map.of())));
  }

  @Test
  void completesOnTheCallersContextOnceKafkaAcknowledged(Vertx vertx, VertxTestContext test) {
    Order order = Order.pending(UUID.randomUUID().toString(), "kite", 2, "00000000000000000000000000000000", Instant.now());
    Context caller = vertx.getOrCreateContext();
    withPublisher(vertx, publisher -> publishOn(caller, publisher, order, Duration.ofSeconds(5))
        .map(v -> {
          test.verify(() -> assertThat(Vertx.currentContext()).as("the future completes on the caller's context").isSameAs(caller));
          return v;
        }))
        .compose(v -> vertx.executeBlocking(() -> Records.all(kafka, topic)))
        .onComplete(test.succeeding(records -> test.verify(() -> {
          assertThat(records).hasSize(1);
          var record = records.get(0);
          assertThat(record.key()).as("key = productId").isEqualTo("kite");
          assertThat(record.value()).contains(order.orderId());
          SpanData publish = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
          assertThat(publish.getName()).isEqualTo(topic + " publish");
          String traceparent = new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
          assertThat(traceparent).as("the PRODUCER span's context, sampled").startsWith("00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-");
          assertThat(Integer.parseInt(traceparent.substring(traceparent.length() - 2), 16) & 1).isEqualTo(1);
          test.completeNow();
        })));
  }

  @Test
  void aRequestPastItsSendDeadlineFailsUnsent(Vertx vertx, VertxTestContext test) {
    Order order = Order.pending(UUID.randomUUID().toString(), "kite", 1, "00000000000000000000000000000000", Instant.now());
    withPublisher(vertx, publisher -> publishOn(vertx.getOrCreateContext(), publisher, order, Duration.ofSeconds(-1)))
        .onComplete(test.failing(e -> test.verify(() -> {
          assertThat(e).isInstanceOf(StockReductionPublisher.NotSent.class);
          assertThat(Records.endOffsetSum(kafka, topic)).as("nothing written").isZero();
          test.completeNow();
        })));
  }

  /** Creates the publisher off the event loop (its constructor connects), runs {@code use}, closes it off the loop too. */
  private <T> Future<T> withPublisher(Vertx vertx, Function<StockReductionPublisher, Future<T>> use) {
    OrderConfig config = OrderConfig.fromEnv(Env.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka, "STOCK_REDUCTIONS_TOPIC", topic)));
    return vertx.executeBlocking(() -> new StockReductionPublisher(config, KafkaTracing.create(otel)))
        .compose(publisher -> use.apply(publisher).eventually(() -> vertx.executeBlocking(() -> {
          publisher.close();
          return null;
        })));
  }

  private static Future<Void> publishOn(Context caller, StockReductionPublisher publisher, Order order, Duration sendWithin) {
    Promise<Void> done = Promise.promise();
    caller.runOnContext(v -> publisher.publish(order, io.opentelemetry.context.Context.root(), caller, System.nanoTime() + sendWithin.toNanos())
        .onComplete(done));
    return done.future();
  }
}
