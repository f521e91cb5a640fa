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
 * The single writer of inventory state, on a thread of its own (the Kafka clients block).
 *
 * <p>Start: create the topics if missing, rebuild the {@link StockLedger} from the compacted state
 * topics ({@link StateTopics}), fence a predecessor, seed the catalogue when there is no product,
 * then run the {@link TransactionLoop} over {@code stock-reductions} and {@code stock-restocks} in the consumer group: one
 * Kafka transaction per poll, with the direct HTTP reductions queued meanwhile ({@link
 * DirectReductions}). Any Kafka error the loop cannot handle closes the clients, fails the queued
 * reductions and starts over from Kafka.
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

  /** Committed products, by id. */
  public Map<String, Product> products() {
    return view.products();
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
    StockLedger ledger = state.rebuild();
    view.showCommitted(ledger);
    TransactionLoop l = open(ledger);
    loop = l;
    try {
      phase = Phase.READY;
      lastError.set(null);
      LOG.info("stock keeper ready: {} products, {} decisions, consuming {} as group {}",
          view.products().size(), ledger.decisionCount(), config.requestsTopic(), config.consumerGroup());
      l.run();
    } finally {
      loop = null;
      l.close();
    }
  }

  /** The clients of one life; the producer fences a predecessor and seeds an empty catalogue. */
  private TransactionLoop open(StockLedger ledger) {
    KafkaProducer<String, String> producer = KeeperClients.transactionalProducer(config);
    KafkaConsumer<String, String> consumer;
    try {
      producer.initTransactions(); // also fences and aborts what a killed predecessor left open
      if (!ledger.hasProducts()) {
        state.seed(ledger, producer, Catalogue.load(config.seedFile()));
        view.showCommitted(ledger);
      }
      consumer = KeeperClients.requestsConsumer(config);
    } catch (RuntimeException e) {
      TransactionLoop.closeQuietly(null, producer);
      throw e;
    }
    RequestProcessor processor = new RequestProcessor(ledger, producer::send, state, tracing, metrics,
        config.consumerGroup(), config.resultsTopic(), Clock.systemUTC());
    return new TransactionLoop(consumer, producer, config.requestsTopic(), config.restocksTopic(), restocks, ledger, processor, reductions, view, metrics,
        lastError, () -> stopping);
  }
}
