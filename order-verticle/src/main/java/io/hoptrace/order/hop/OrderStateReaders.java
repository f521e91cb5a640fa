package io.hoptrace.order.hop;

import io.hoptrace.kafka.TopicFollower;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.kafka.replay.ReplayHeaders;
import io.hoptrace.order.OrderConfig;
import io.hoptrace.order.orders.Order;
import io.hoptrace.order.orders.OrderBook;
import io.hoptrace.order.orders.StockResult;
import io.hoptrace.telemetry.kafka.ConsumerLagGauge;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order service's view of Kafka, rebuilt at start and kept current by three readers of all
 * partitions (no consumer group: every instance sees every record):
 * <ul>
 *   <li>{@code stock-reductions}: the orders placed (replayed copies are skipped); it also settles
 *       requests whose commit the publisher could not confirm ({@link PublishSettlement});</li>
 *   <li>{@code stock-reduction-results}: inventory's answers. Records that arrive live are processed
 *       under a CONSUMER span that continues the order's trace and complete waiting requests;</li>
 *   <li>{@code inventory-stock}: the catalogue, so that an unknown product is refused before anything is published.</li>
 * </ul>
 */
public final class OrderStateReaders implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrderStateReaders.class);
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("order.outcome");
  private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("hoptrace.order.id");
  private static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("hoptrace.order.duplicate_result");

  private final OrderConfig config;
  private final OrderBook book;
  private final KafkaTracing tracing;
  private final ConsumerLagGauge lag;
  private final LongCounter orders;
  private final Set<String> products = ConcurrentHashMap.newKeySet();
  private final PublishSettlement settlement = new PublishSettlement(this::neverCommitted);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile List<TopicFollower> followers = List.of();
  private volatile boolean stopping;
  private volatile String lastError;
  private Thread starter;

  public OrderStateReaders(OrderConfig config, OrderBook book, KafkaTracing tracing, Meter meter) {
    this.config = config;
    this.book = book;
    this.tracing = tracing;
    this.lag = ConsumerLagGauge.register(meter, null);
    this.orders = meter.counterBuilder("hoptrace.orders").setUnit("{order}")
        .setDescription("Orders by outcome: CONFIRMED, REJECTED (inventory's answer), FAILED (not published: refused with 503, or found never committed).").build();
  }

  /** Where the publisher registers requests before their commit, for this reader to settle. */
  public PublishSettlement settlement() {
    return settlement;
  }

  /** Creates missing topics (retrying while Kafka is away), then starts the readers. Returns at once. */
  public void start() {
    starter = new Thread(() -> {
      while (!stopping) {
        try {
          TopicSetup.ensure(config.kafkaBootstrapServers(), List.of(
              Topics.business(config.requestsTopic()),
              Topics.business(config.resultsTopic()),
              Topics.state(config.stockTopic())));
          break;
        } catch (RuntimeException e) {
          lastError = e.getMessage();
          LOG.warn("cannot set up topics yet ({}); retrying in 1 s", e.getMessage());
          try {
            stopped.await(1, TimeUnit.SECONDS);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
      if (stopping) {
        return;
      }
      lastError = null;
      followers = List.of(
          follower("order-requests", config.requestsTopic(), this::onRequest),
          follower("order-results", config.resultsTopic(), this::onResult),
          follower("order-catalogue", config.stockTopic(), this::onProduct));
      followers.forEach(TopicFollower::start);
    }, "order-state-start");
    starter.setDaemon(true);
    starter.start();
  }

  /** True once every reader has read what was in its topic at start. */
  public boolean caughtUp() {
    List<TopicFollower> f = followers;
    return !f.isEmpty() && f.stream().allMatch(TopicFollower::isCaughtUp);
  }

  public String lastError() {
    if (lastError != null) {
      return lastError;
    }
    return followers.stream().map(TopicFollower::lastError).filter(e -> e != null).findFirst().orElse(null);
  }

  /** How many products the catalogue holds (none until inventory has seeded it). */
  public int productCount() {
    return products.size();
  }

  public boolean knowsProduct(String productId) {
    return products.contains(productId);
  }

  public Map<TopicPartition, Long> lag() {
    return lag.snapshot();
  }

  /** An order refused because its request could not be published. */
  public void countFailed() {
    orders.add(1, Attributes.of(OUTCOME, "FAILED"));
  }

  private TopicFollower follower(String name, String topic, TopicFollower.RecordHandler handler) {
    TopicFollower.Builder b = TopicFollower.builder(config.kafkaBootstrapServers(), name).topics(List.of(topic)).handler(handler);
    if (topic.equals(config.resultsTopic())) {
      b.afterPoll(lag::update);
    } else if (topic.equals(config.requestsTopic())) {
      b.afterPoll(c -> {
        Set<TopicPartition> assigned = c.assignment();
        settlement.check(tp -> assigned.contains(tp) ? c.position(tp) : null);
      });
    }
    return b.build();
  }

  private void onRequest(ConsumerRecord<String, String> r, boolean live) {
    if (r.value() == null || ReplayHeaders.isReplay(r.headers())) {
      return; // a replayed copy re-delivers an order that exists already
    }
    SpanContext sc = io.opentelemetry.api.trace.Span.fromContext(tracing.extract(r.headers())).getSpanContext();
    Order order = Order.fromRequestJson(new JsonObject(r.value()), sc.isValid() ? sc.getTraceId() : null);
    settlement.seen(order.orderId());
    book.placeReplacingFailed(order);
  }

  /** The reader passed a published request's offset without it: its transaction was aborted. */
  private void neverCommitted(Order order) {
    if (book.failUnpublished(order, "the stock-reduction request was never committed to Kafka (its transaction was aborted); nothing was reserved, place the order again",
        java.time.Instant.now())) {
      orders.add(1, Attributes.of(OUTCOME, "FAILED"));
      LOG.warn("order {} FAILED: its stock-reduction request was never committed to Kafka", order.orderId());
    }
  }

  private void onResult(ConsumerRecord<String, String> r, boolean live) {
    if (!live) {
      // already processed before this start: rebuild only, no second span in an old trace
      book.complete(StockResult.fromJson(r.value()));
      return;
    }
    Span span = tracing.startProcess(r, null);
    try (Scope ignored = span.makeCurrent()) {
      StockResult result = StockResult.fromJson(r.value());
      span.setAttribute(ORDER_ID, result.orderId());
      OrderBook.Completion completion = book.complete(result);
      span.setAttribute(DUPLICATE, completion == OrderBook.Completion.ALREADY_COMPLETED);
      if (completion == OrderBook.Completion.ALREADY_COMPLETED) {
        LOG.info("ignored a repeated result for order {}: it is completed already", result.orderId());
      } else {
        orders.add(1, Attributes.of(OUTCOME, result.status()));
        LOG.info("order {} {}{}", result.orderId(), result.status(), result.message() == null ? "" : ": " + result.message());
      }
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }

  private void onProduct(ConsumerRecord<String, String> r, boolean live) {
    if (r.value() == null) {
      products.remove(r.key());
    } else {
      products.add(r.key());
    }
  }

  /** Blocking: stops the readers. */
  @Override
  public void close() {
    stopping = true;
    stopped.countDown();
    followers.forEach(TopicFollower::close);
  }
}
