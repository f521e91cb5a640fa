package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.kafka.TopicSpec;
import io.hoptrace.order.OrderConfig;
import io.hoptrace.order.hop.OrderStateReaders;
import io.hoptrace.order.hop.PublishSettlement;
import io.hoptrace.order.hop.StockReductionPublisher;
import io.hoptrace.order.hop.StockReductionPublisher.Publication;
import io.hoptrace.order.orders.Order;
import io.hoptrace.order.orders.OrderBook;
import io.hoptrace.config.Env;
import io.hoptrace.process.Poll;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The order's Kafka hop on its own, asynchronously (vertx-junit5): the publish future completes on
 * the caller's Vert.x context only once the record's transaction committed, and the record carries
 * the PRODUCER span's context; a request past its send deadline fails without reaching Kafka; a
 * commit that fails leaves the outcome to the order service's reader, which settles it.
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
    infra.createTopics(List.of(new TopicSpec(topic, 3, Map.of()), new TopicSpec(topic + "-results", 3, Map.of()),
        new TopicSpec(topic + "-stock", 1, Map.of())));
  }

  @Test
  void completesOnTheCallersContextOnceCommitted(Vertx vertx, VertxTestContext test) {
    Order order = Order.pending(UUID.randomUUID().toString(), "kite", 2, "00000000000000000000000000000000", Instant.now());
    Context caller = vertx.getOrCreateContext();
    withPublisher(vertx, publisher -> publishOn(caller, publisher, order, Duration.ofSeconds(5))
        .map(publication -> {
          test.verify(() -> {
            assertThat(Vertx.currentContext()).as("the future completes on the caller's context").isSameAs(caller);
            assertThat(publication).isEqualTo(Publication.COMMITTED);
          });
          return publication;
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
          assertThat(e).isInstanceOf(StockReductionPublisher.NotPublished.class).hasMessageStartingWith("not sent: ");
          assertThat(Records.endOffsetSum(kafka, topic)).as("nothing written").isZero();
          test.completeNow();
        })));
  }

  /**
   * Kafka's producer can throw IllegalStateException from beginTransaction (after an abort that bumps
   * its epoch, while it re-initializes its id): the fault suite once saw that batch's requests never
   * answered, their orders PENDING for good. They must be refused (nothing of that transaction is ever
   * committed) and the next request published by a new producer.
   */
  @Test
  void aProducerThatThrowsOutsideKafkasExceptionsRefusesItsBatchAndIsReplaced(Vertx vertx, VertxTestContext test) {
    Order first = Order.pending(UUID.randomUUID().toString(), "kite", 1, "00000000000000000000000000000000", Instant.now());
    Order second = Order.pending(UUID.randomUUID().toString(), "kite", 1, "00000000000000000000000000000000", Instant.now());
    java.util.concurrent.atomic.AtomicBoolean thrown = new java.util.concurrent.atomic.AtomicBoolean();
    withPublisher(vertx, publisher -> {
      publisher.beforeBegin(() -> {
        if (thrown.compareAndSet(false, true)) {
          throw new IllegalStateException("TransactionalId order-x: Invalid transition attempted from state INITIALIZING to state IN_TRANSACTION");
        }
      });
      return publishOn(vertx.getOrCreateContext(), publisher, first, Duration.ofSeconds(5))
          .transform(refused -> {
            test.verify(() -> assertThat(refused.cause()).as("the first request is answered, refused")
                .isInstanceOf(StockReductionPublisher.NotPublished.class).hasMessageContaining("INITIALIZING"));
            return publishOn(vertx.getOrCreateContext(), publisher, second, Duration.ofSeconds(5));
          });
    }).onComplete(test.succeeding(publication -> test.verify(() -> {
      assertThat(publication).as("the next request goes through a new producer").isEqualTo(Publication.COMMITTED);
      List<String> values = Records.all(kafka, topic).stream().map(r -> r.value()).toList();
      assertThat(values).hasSize(1);
      assertThat(values.get(0)).contains(second.orderId()).doesNotContain(first.orderId());
      test.completeNow();
    })));
  }

  /**
   * A request that arrives while a transaction's requests are on their way to Kafka joins that
   * transaction instead of waiting for its commit and a transaction of its own: both records are
   * committed together, next to each other in the partition (no commit marker between them).
   */
  @Test
  void aRequestArrivingWhileATransactionIsOnItsWayIsCommittedWithIt(Vertx vertx, VertxTestContext test) {
    Order first = Order.pending(UUID.randomUUID().toString(), "kite", 1, "00000000000000000000000000000000", Instant.now());
    Order second = Order.pending(UUID.randomUUID().toString(), "kite", 1, "00000000000000000000000000000000", Instant.now());
    Context caller = vertx.getOrCreateContext();
    java.util.concurrent.atomic.AtomicReference<Future<Publication>> late = new java.util.concurrent.atomic.AtomicReference<>();
    withPublisher(vertx, publisher -> {
      publisher.beforeBegin(() -> {
        if (late.get() == null) {
          // the first transaction has taken its batch and is about to send it: the second request arrives now
          late.set(publisher.publish(second, io.opentelemetry.context.Context.root(), caller, System.nanoTime() + Duration.ofSeconds(5).toNanos()));
        }
      });
      return publishOn(caller, publisher, first, Duration.ofSeconds(5)).compose(p -> late.get().map(q -> List.of(p, q)));
    }).onComplete(test.succeeding(publications -> test.verify(() -> {
      assertThat(publications).containsExactly(Publication.COMMITTED, Publication.COMMITTED);
      var records = Records.all(kafka, topic);
      assertThat(records).hasSize(2);
      var a = records.stream().filter(r -> r.value().contains(first.orderId())).findFirst().orElseThrow();
      var b = records.stream().filter(r -> r.value().contains(second.orderId())).findFirst().orElseThrow();
      assertThat(b.partition()).isEqualTo(a.partition());
      assertThat(b.offset()).as("one transaction: no commit marker between the two").isEqualTo(a.offset() + 1);
      test.completeNow();
    })));
  }

  /**
   * A zombie's commit: another producer with the same transactional id starts between the record's
   * acknowledgement and its commit, which aborts the open transaction. The record was written (the
   * broker acknowledged it), yet it will never be read: the publisher answers UNKNOWN, and the
   * order service's read_committed reader, passing the record's offset without it, marks it FAILED.
   */
  @Test
  void aCommitThatFailsIsSettledByTheReader(Vertx vertx, VertxTestContext test) {
    Order order = Order.pending(UUID.randomUUID().toString(), "kite", 1, "00000000000000000000000000000000", Instant.now());
    String transactionalId = Infrastructure.unique("order-fenced");
    OrderConfig config = config(Map.of("ORDER_TRANSACTIONAL_ID", transactionalId));
    OrderBook book = new OrderBook();
    OrderStateReaders readers = new OrderStateReaders(config, book, KafkaTracing.create(otel), otel.getMeter("test"));
    Context readersContext = vertx.getOrCreateContext();
    readersContext.runOnContext(v -> readers.start(vertx));
    vertx.executeBlocking(() -> new StockReductionPublisher(config, KafkaTracing.create(otel), readers.settlement()))
        .compose(publisher -> {
          publisher.beforeCommit(() -> fence(transactionalId));
          return publishOn(vertx.getOrCreateContext(), publisher, order, Duration.ofSeconds(5))
              .eventually(() -> vertx.executeBlocking(() -> {
                publisher.close();
                return null;
              }));
        })
        .compose(publication -> vertx.executeBlocking(() -> {
          Poll.until("the reader to settle the order", Duration.ofSeconds(30), Duration.ofMillis(50),
              () -> book.get(order.orderId()).map(o -> o.status() == Order.Status.FAILED).orElse(false));
          assertThat(Records.all(kafka, topic)).as("nothing committed").isEmpty();
          assertThat(Records.endOffsetSum(kafka, topic)).as("though the record was written (then aborted)").isPositive();
          return publication;
        }))
        .compose(publication -> {
          Promise<Void> closed = Promise.promise();
          readersContext.runOnContext(v -> readers.close().onComplete(closed));
          return closed.future().map(publication);
        })
        .onComplete(test.succeeding(publication -> test.verify(() -> {
          assertThat(publication).isEqualTo(Publication.UNKNOWN);
          assertThat(book.get(order.orderId()).orElseThrow().reason()).isEqualTo(Order.NOT_PUBLISHED);
          assertThat(readers.settlement().pending()).isZero();
          test.completeNow();
        })));
  }

  /** What a zombie's successor does: initTransactions with the same id fences the old producer and aborts its transaction. */
  private void fence(String transactionalId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    try (KafkaProducer<String, String> successor = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      successor.initTransactions();
    }
  }

  private OrderConfig config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka, "STOCK_REDUCTIONS_TOPIC", topic,
        "STOCK_REDUCTION_RESULTS_TOPIC", topic + "-results", "INVENTORY_STOCK_TOPIC", topic + "-stock",
        "ORDER_TRANSACTIONAL_ID", Infrastructure.unique("order")));
    env.putAll(extra);
    return OrderConfig.fromEnv(Env.of(env));
  }

  /** Creates the publisher off the event loop, runs {@code use}, closes it off the loop too. */
  private <T> Future<T> withPublisher(Vertx vertx, Function<StockReductionPublisher, Future<T>> use) {
    OrderConfig config = config(Map.of());
    return vertx.executeBlocking(() -> new StockReductionPublisher(config, KafkaTracing.create(otel), new PublishSettlement(o -> { })))
        .compose(publisher -> use.apply(publisher).eventually(() -> vertx.executeBlocking(() -> {
          publisher.close();
          return null;
        })));
  }

  private static Future<Publication> publishOn(Context caller, StockReductionPublisher publisher, Order order, Duration sendWithin) {
    Promise<Publication> done = Promise.promise();
    caller.runOnContext(v -> publisher.publish(order, io.opentelemetry.context.Context.root(), caller, System.nanoTime() + sendWithin.toNanos())
        .onComplete(done));
    return done.future();
  }
}
