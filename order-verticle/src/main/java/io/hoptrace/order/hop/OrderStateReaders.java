package io.hoptrace.order.hop;

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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order service's view of Kafka, rebuilt at start and kept current by three {@link TopicReader}s
 * of all partitions (no consumer group: every instance sees every record), handling records on the
 * order hop's event loop:
 * <ul>
 *   <li>{@code stock-reductions}: the orders placed (replayed copies are skipped); it also settles
 *       requests whose commit the publisher could not confirm ({@link PublishSettlement});</li>
 *   <li>{@code stock-reduction-results}: inventory's answers. Records that arrive live are processed
 *       under a CONSUMER span that continues the order's trace and complete waiting requests;</li>
 *   <li>{@code inventory-stock}: the catalogue, so that an unknown product is refused before anything is published.</li>
 * </ul>
 */
public final class OrderStateReaders {
  private static final Logger LOG = LoggerFactory.getLogger(OrderStateReaders.class);
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("order.outcome");
  private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("hoptrace.order.id");
  private static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("hoptrace.order.duplicate_result");

  /** How much earlier than the window results are read: inventory's clock may be behind ours. */
  private static final java.time.Duration RESULT_CLOCK_SKEW = java.time.Duration.ofMinutes(1);

  private final OrderConfig config;
  private final OrderBook book;
  private final KafkaTracing tracing;
  private final ConsumerLagGauge lag;
  private final LongCounter orders;
  private final Set<String> products = ConcurrentHashMap.newKeySet();
  private final PublishSettlement settlement = new PublishSettlement(this::neverCommitted);
  private Vertx vertx;
  private volatile List<TopicReader> readers = List.of();
  private volatile boolean stopping;
  private boolean resultsStarted; // on the hop's event loop
  private volatile String lastError;

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

  /**
   * Creates missing topics (retrying while Kafka is away), then starts the readers. Returns at once;
   * call it on the context where records are to be handled (the order hop's event loop).
   */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    ensureTopics().onSuccess(v -> {
      if (stopping) {
        return;
      }
      lastError = null;
      // the rebuild reads only what the book may keep: the orders of the window, and of each partition
      // at most the last 2N offsets (the newest N orders overall are among them: each transaction
      // adds a commit marker, an offset of its own); results come after their requests
      java.time.Instant since = java.time.Instant.now().minus(config.memory().window());
      TopicReader results = new TopicReader(vertx, config.kafkaBootstrapServers(), "order-results", config.resultsTopic(), this::onResult,
          (r, positions) -> {
            lag.update(r.lag());
            book.dropExpired();
          }, new TopicReader.Start(since.minus(RESULT_CLOCK_SKEW), Long.MAX_VALUE)).positionsOnlyUntilCaughtUp();
      // results are read once the requests were: each result then finds its order (kept or dropped),
      // instead of waiting among results read too early for orders that are never kept
      TopicReader requests = new TopicReader(vertx, config.kafkaBootstrapServers(), "order-requests", config.requestsTopic(), this::onRequest,
          (r, positions) -> {
            settlement.check(positions::get);
            if (r.isCaughtUp() && !resultsStarted) {
              resultsStarted = true;
              results.start();
            }
          }, new TopicReader.Start(since, 2L * config.memory().orders()));
      readers = List.of(requests, results, reader("order-catalogue", config.stockTopic(), this::onProduct, (r, positions) -> { }));
      requests.start();
      readers.get(2).start();
    });
  }

  private Future<Void> ensureTopics() {
    if (stopping) {
      return Future.failedFuture("stopping");
    }
    return vertx.<Void>executeBlocking(() -> {
      TopicSetup.ensure(config.kafkaBootstrapServers(), List.of(
          Topics.business(config.requestsTopic()),
          Topics.business(config.resultsTopic()),
          Topics.state(config.stockTopic())));
      return null;
    }, false).recover(e -> {
      lastError = e.getMessage();
      LOG.warn("cannot set up topics yet ({}); retrying in 1 s", e.getMessage());
      return vertx.timer(1, TimeUnit.SECONDS).compose(x -> ensureTopics());
    });
  }

  /** True once every reader has read what was in its topic at start. */
  public boolean caughtUp() {
    List<TopicReader> r = readers;
    return !r.isEmpty() && r.stream().allMatch(TopicReader::isCaughtUp);
  }

  public String lastError() {
    if (lastError != null) {
      return lastError;
    }
    return readers.stream().map(TopicReader::lastError).filter(e -> e != null).findFirst().orElse(null);
  }

  /** How many products the catalogue holds (none until inventory has seeded it). */
  public int productCount() {
    return products.size();
  }

  public boolean knowsProduct(String productId) {
    return products.contains(productId);
  }

  /** Records behind the end of each partition of {@code stock-reduction-results} (as of the last fetch). */
  public Map<TopicPartition, Long> lag() {
    return lag.snapshot();
  }

  /** An order refused because its request could not be published. */
  public void countFailed() {
    orders.add(1, Attributes.of(OUTCOME, "FAILED"));
  }

  private TopicReader reader(String name, String topic, TopicReader.RecordHandler handler, TopicReader.AfterPoll afterPoll) {
    return new TopicReader(vertx, config.kafkaBootstrapServers(), name, topic, handler, afterPoll);
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

  /** Stops the readers; call it on the context that started them. */
  public Future<Void> close() {
    stopping = true;
    return Future.join(readers.stream().map(TopicReader::close).toList()).mapEmpty();
  }
}
