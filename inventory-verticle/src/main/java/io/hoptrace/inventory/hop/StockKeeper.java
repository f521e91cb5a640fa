package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.inventory.stock.Catalogue;
import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.hoptrace.inventory.stock.RestockRequest;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Poll;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of the state of the partitions this instance owns, on a thread of its own (the Kafka
 * clients block). Several instances share the work in one consumer group (ADR 001).
 *
 * <p>Start: create the topics if missing, check that the requests, restocks and state topics share
 * one partition count, fence a predecessor with the same transactional id, follow the stock topic
 * (every product, for readers), then run the {@link TransactionLoop} over {@code stock-reductions}
 * and {@code stock-restocks} in the consumer group: on assignment it rebuilds the {@link
 * StockLedger} of the partitions assigned from the state topics ({@link StateTopics}) and seeds
 * the catalogue into partitions without products; one Kafka transaction per poll, with the direct
 * HTTP reductions queued meanwhile ({@link DirectReductions}). Ready once the group first assigned
 * partitions (maybe none). Any Kafka error the loop cannot handle closes the clients, fails the
 * queued reductions and starts over from Kafka.
 */
public final class StockKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StockKeeper.class);
  private static final Duration START_OVER_AFTER = Duration.ofSeconds(1);

  /** Where the keeper is in its life; only READY processes requests. */
  public enum Phase { STARTING, REBUILDING, READY, STOPPED }

  /** Why a queued HTTP reduction could not be applied (Kafka unreachable, not ready yet). */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  private final InventoryConfig config;
  private final KafkaTracing tracing;
  private final StateTopics state;
  private final StockView view = new StockView();
  private final InventoryMetrics metrics;
  private final DirectReductions reductions;
  private final Restocks restocks;
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile Phase phase = Phase.STARTING;
  private volatile boolean stopping;
  private volatile TransactionLoop loop;
  private volatile io.hoptrace.kafka.TopicFollower stockFollower;
  private Thread thread;

  public StockKeeper(InventoryConfig config, KafkaTracing tracing, Tracer tracer, Meter meter) {
    this.config = config;
    this.tracing = tracing;
    this.state = new StateTopics(config);
    this.metrics = new InventoryMetrics(meter, config.consumerGroup(), view);
    this.reductions = new DirectReductions(tracer);
    this.restocks = new Restocks(config, tracing);
  }

  public synchronized void start() {
    thread = new Thread(this::run, "stock-keeper");
    thread.start();
  }

  public Phase phase() {
    return phase;
  }

  /** The last Kafka problem, or null when the last transaction went through. */
  public String lastError() {
    return lastError.get();
  }

  /**
   * Every product by id: those of the partitions this instance owns as decided here (read your
   * writes), the others as last committed in the stock topic.
   */
  public Map<String, Product> products() {
    return view.products();
  }

  /** Whether this instance decides the requests of a product now (it owns its partition). */
  public boolean owns(String productId) {
    return view.owns(productId);
  }

  /** The partition numbers of the requests this instance owns now. */
  public java.util.Set<Integer> ownedPartitions() {
    return view.ownedPartitions();
  }

  public Map<TopicPartition, Long> lag() {
    return metrics.lag();
  }

  /**
   * Queues a direct reduction; completes once its transaction committed. Its {@code stock
   * transaction} span is a child of the caller's current span (the HTTP SERVER span).
   */
  public CompletableFuture<Decision> submit(ReductionRequest request) {
    if (phase != Phase.READY) {
      String why = lastError.get();
      return CompletableFuture.failedFuture(new Unavailable("inventory is " + phase.name().toLowerCase()
          + (why == null ? "" : " (" + why + ")")));
    }
    CompletableFuture<Decision> result = reductions.submit(request);
    wakeup(); // do not wait for the poll timeout
    return result;
  }

  /**
   * Publishes a restock to Kafka; completes once the keeper applied it. Blocking while the producer
   * fetches metadata: call it on a worker.
   */
  public CompletableFuture<Restocks.Restocked> restock(RestockRequest request, io.opentelemetry.context.Context parent) {
    if (phase != Phase.READY) {
      String why = lastError.get();
      return CompletableFuture.failedFuture(new Unavailable("inventory is " + phase.name().toLowerCase()
          + (why == null ? "" : " (" + why + ")")));
    }
    return restocks.publish(request, parent);
  }

  /**
   * Hands a direct reduction of a product another instance owns to Kafka, for its owner to decide;
   * completes once Kafka took it. Blocking while the producer fetches metadata: call it on a worker.
   */
  public CompletableFuture<Void> forward(ReductionRequest request, io.opentelemetry.context.Context parent) {
    if (phase != Phase.READY) {
      String why = lastError.get();
      return CompletableFuture.failedFuture(new Unavailable("inventory is " + phase.name().toLowerCase()
          + (why == null ? "" : " (" + why + ")")));
    }
    return restocks.forward(request, parent);
  }

  /** Stops waiting for a restock whose caller gave up (it is still applied). */
  public void forgetRestock(String requestId, CompletableFuture<Restocks.Restocked> waiter) {
    restocks.forget(requestId, waiter);
  }

  @Override
  public void close() {
    stopping = true;
    wakeup();
    if (thread != null) {
      try {
        ended.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void wakeup() {
    TransactionLoop l = loop;
    if (l != null) {
      l.wakeup();
    }
  }

  private void run() {
    try {
      while (!stopping) {
        try {
          serve();
        } catch (WakeupException e) {
          // stopping
        } catch (RuntimeException e) {
          lastError.set(e.toString());
          phase = Phase.STARTING;
          LOG.warn("stock keeper: {}; starting over in 1 s (state is rebuilt from Kafka)", e.toString());
          reductions.failAll("inventory is restarting after a Kafka error: " + e.getMessage());
          Poll.pause(START_OVER_AFTER, () -> stopping);
        }
      }
    } finally {
      io.hoptrace.kafka.TopicFollower f = stockFollower;
      if (f != null) {
        f.close();
      }
      phase = Phase.STOPPED;
      reductions.close("inventory is stopping");
      restocks.close();
      ended.countDown();
    }
  }

  /** One life from Kafka: topics, rebuild, clients, then the loop until stopping or an error. */
  private void serve() {
    phase = Phase.STARTING;
    TopicSetup.ensure(config.kafkaBootstrapServers(), List.of(
        Topics.business(config.requestsTopic()),
        Topics.business(config.resultsTopic()),
        Topics.business(config.restocksTopic()),
        Topics.state(config.stockTopic()),
        Topics.decisions(config.decisionsTopic(), config.decisionsWindow())));
    phase = Phase.REBUILDING;
    Partitioning partitioning = state.partitioning();
    if (stockFollower == null) {
      stockFollower = io.hoptrace.kafka.TopicFollower.builder(config.kafkaBootstrapServers(), config.transactionalId() + "-stock-view")
          .topics(List.of(config.stockTopic()))
          .handler((r, live) -> view.follow(r.key(), r.value() == null ? null : Product.fromJson(new io.vertx.core.json.JsonObject(r.value()))))
          .build()
          .start();
    }
    StockLedger ledger = new StockLedger();
    TransactionLoop l = open(ledger, partitioning);
    loop = l;
    try {
      l.run();
    } finally {
      loop = null;
      l.close();
    }
  }

  /** The clients of one life; the producer fences a predecessor and seeds an empty catalogue. */
  private TransactionLoop open(StockLedger ledger, Partitioning partitioning) {
    List<Product> catalogue = Catalogue.load(config.seedFile());
    KafkaProducer<String, String> producer = KeeperClients.transactionalProducer(config);
    KafkaConsumer<String, String> consumer;
    try {
      producer.initTransactions(); // also fences and aborts what a killed predecessor with this id left open
      consumer = KeeperClients.requestsConsumer(config);
    } catch (RuntimeException e) {
      TransactionLoop.closeQuietly(null, producer);
      throw e;
    }
    TransactionOutbox outbox = new TransactionOutbox(config.stockTopic());
    RequestProcessor processor = new RequestProcessor(ledger, outbox, state, tracing, metrics,
        config.consumerGroup(), config.resultsTopic(), Clock.systemUTC());
    return new TransactionLoop(consumer, producer, config.requestsTopic(), config.restocksTopic(), restocks, ledger, processor, outbox, reductions, view, metrics,
        lastError, () -> stopping, state, partitioning, catalogue, () -> {
          phase = Phase.READY;
          lastError.set(null);
          LOG.info("stock keeper ready: owns partitions {} of {} as group {} ({} products, {} decisions)",
              view.ownedPartitions(), config.requestsTopic(), config.consumerGroup(), view.ownProducts().size(), ledger.decisionCount());
        });
  }
}
