package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.inventory.stock.Catalogue;
import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.kafka.TopicFollower;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Poll;
import io.hoptrace.telemetry.kafka.ConsumerLagGauge;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of inventory state, on a thread of its own (the Kafka clients block).
 *
 * <p>Start: create the topics if missing, rebuild the {@link StockLedger} from the compacted state
 * topics ({@code inventory-stock}, {@code inventory-decisions}), seed the catalogue when there is
 * no product, then consume {@code stock-reductions} in the consumer group.
 *
 * <p>Each poll is one Kafka transaction (read-process-write): the changed products, the decisions,
 * the results for the order service and the consumed offsets are committed together, or not at
 * all. A crash can therefore never leave stock reduced without the result, nor a result without the
 * offset: after a restart the uncommitted requests are simply processed again. Redelivered and
 * replayed requests find their decision in the ledger and get the same answer again, without
 * touching stock. Direct HTTP reductions are queued to this thread and join the same transactions.
 */
public final class StockKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StockKeeper.class);
  private static final AttributeKey<String> PRODUCT_ID = AttributeKey.stringKey("hoptrace.product.id");
  private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("hoptrace.order.id");
  private static final AttributeKey<String> DECISION = AttributeKey.stringKey("hoptrace.stock.decision");
  private static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("hoptrace.stock.duplicate");
  private static final AttributeKey<String> SOURCE = AttributeKey.stringKey("hoptrace.stock.source");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("hoptrace.stock.request_id");
  private static final AttributeKey<Long> QUANTITY = AttributeKey.longKey("hoptrace.stock.quantity");

  /** Where the keeper is in its life; only READY processes requests. */
  public enum Phase { STARTING, REBUILDING, READY, STOPPED }

  /** Why a queued HTTP reduction could not be applied (Kafka unreachable, not ready yet). */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A direct (HTTP) reduction waiting for the keeper's thread, with its {@code stock transaction}
   * span: from the queue to the commit, so the wait and the Kafka transaction show in the trace.
   * Completes once, on the keeper's thread; the first outcome wins. The span ends before the caller
   * hears the outcome, so it always ends inside its parent.
   */
  private record Command(ReductionRequest request, Span span, CompletableFuture<Decision> result) {
    void succeed(Decision d) {
      if (!result.isDone()) {
        span.end();
        result.complete(d);
      }
    }

    void fail(String why) {
      if (!result.isDone()) {
        span.setStatus(StatusCode.ERROR, why);
        span.end();
        result.completeExceptionally(new Unavailable(why));
      }
    }
  }

  private final InventoryConfig config;
  private final KafkaTracing tracing;
  private final Tracer tracer;
  private final ConsumerLagGauge lag;
  private final LongCounter decisions;
  private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile Map<String, Product> products = Map.of();
  private volatile Phase phase = Phase.STARTING;
  private volatile String lastError;
  private volatile boolean stopping;
  private volatile KafkaConsumer<String, String> consumer;
  private KafkaProducer<String, String> producer;
  private StockLedger ledger;
  private Thread thread;

  public StockKeeper(InventoryConfig config, KafkaTracing tracing, Tracer tracer, Meter meter) {
    this.config = config;
    this.tracing = tracing;
    this.tracer = tracer;
    this.lag = ConsumerLagGauge.register(meter, config.consumerGroup());
    this.decisions = meter.counterBuilder("hoptrace.inventory.decisions").setUnit("{request}")
        .setDescription("Stock-reduction requests decided, by decision, source and whether they had been decided before.").build();
    meter.gaugeBuilder("hoptrace.inventory.stock").ofLongs().setUnit("{item}")
        .setDescription("Items in stock per product.")
        .buildWithCallback(m -> products.values().forEach(p -> m.record(p.stock(), Attributes.of(PRODUCT_ID, p.productId()))));
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
    return lastError;
  }

  /** Committed products, by id. */
  public Map<String, Product> products() {
    return products;
  }

  public Map<TopicPartition, Long> lag() {
    return lag.snapshot();
  }

  /**
   * Queues a direct reduction; completes once its transaction committed. Its {@code stock
   * transaction} span is a child of the caller's current span (the HTTP SERVER span).
   */
  public CompletableFuture<Decision> submit(ReductionRequest request) {
    if (phase != Phase.READY) {
      return CompletableFuture.failedFuture(new Unavailable("inventory is " + phase.name().toLowerCase()
          + (lastError == null ? "" : " (" + lastError + ")")));
    }
    Span span = tracer.spanBuilder("stock transaction").setSpanKind(SpanKind.INTERNAL)
        .setAttribute(REQUEST_ID, request.requestId())
        .setAttribute(PRODUCT_ID, request.productId())
        .setAttribute(QUANTITY, (long) request.quantity())
        .setAttribute(SOURCE, "http")
        .startSpan();
    Command c = new Command(request, span, new CompletableFuture<>());
    commands.add(c);
    KafkaConsumer<String, String> k = consumer;
    if (k != null) {
      k.wakeup(); // do not wait for the poll timeout
    }
    return c.result();
  }

  @Override
  public void close() {
    stopping = true;
    KafkaConsumer<String, String> k = consumer;
    if (k != null) {
      k.wakeup();
    }
    if (thread != null) {
      try {
        ended.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      while (!stopping) {
        try {
          prepare();
          phase = Phase.READY;
          lastError = null;
          LOG.info("stock keeper ready: {} products, {} decisions, consuming {} as group {}",
              products.size(), ledger.decisionCount(), config.requestsTopic(), config.consumerGroup());
          loop();
        } catch (WakeupException e) {
          // stopping
        } catch (RuntimeException e) {
          lastError = e.toString();
          phase = Phase.STARTING;
          LOG.warn("stock keeper: {}; starting over in 1 s (state is rebuilt from Kafka)", e.toString());
          closeClients();
          failQueued("inventory is restarting after a Kafka error: " + e.getMessage());
          Poll.pause(Duration.ofSeconds(1), () -> stopping);
        }
      }
    } finally {
      phase = Phase.STOPPED;
      closeClients();
      failQueued("inventory is stopping");
      ended.countDown();
    }
  }

  // ---- start-up: topics, rebuild, seed, subscribe

  private void prepare() {
    phase = Phase.STARTING;
    TopicSetup.ensure(config.kafkaBootstrapServers(), List.of(
        Topics.business(config.requestsTopic()),
        Topics.business(config.resultsTopic()),
        Topics.state(config.stockTopic()),
        Topics.state(config.decisionsTopic())));
    phase = Phase.REBUILDING;
    ledger = rebuild();
    publishProducts();
    producer = newProducer();
    producer.initTransactions(); // also fences and aborts what a killed predecessor left open
    if (!ledger.hasProducts()) {
      seed();
    }
    consumer = newConsumer();
    consumer.subscribe(List.of(config.requestsTopic()));
  }

  private StockLedger rebuild() {
    StockLedger l = new StockLedger();
    long t0 = System.nanoTime();
    try (TopicFollower reader = TopicFollower.builder(config.kafkaBootstrapServers(), config.consumerGroup() + "-rebuild")
        .topics(List.of(config.stockTopic(), config.decisionsTopic()))
        .stopWhenCaughtUp()
        .handler((r, live) -> restore(l, r))
        .build()
        .start()) {
      reader.awaitCaughtUp(Duration.ofMinutes(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while rebuilding", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new KafkaException("could not read the state topics " + config.stockTopic() + ", " + config.decisionsTopic() + " within 2 minutes");
    }
    LOG.info("rebuilt from {} and {} in {} ms: {} products, {} decisions", config.stockTopic(), config.decisionsTopic(),
        (System.nanoTime() - t0) / 1_000_000, l.products().size(), l.decisionCount());
    return l;
  }

  private void restore(StockLedger l, ConsumerRecord<String, String> r) {
    if (r.topic().equals(config.stockTopic())) {
      if (r.value() == null) {
        l.forgetProduct(r.key());
      } else {
        l.restore(Product.fromJson(new JsonObject(r.value())));
      }
    } else if (r.value() == null) {
      l.forgetDecision(r.key());
    } else {
      l.restore(Decision.fromJson(new JsonObject(r.value())));
    }
    l.commit();
  }

  private void seed() {
    List<Product> catalogue = Catalogue.load(config.seedFile());
    ledger.begin();
    try {
      producer.beginTransaction();
      for (Product p : catalogue) {
        ledger.put(p);
        producer.send(new ProducerRecord<>(config.stockTopic(), p.productId(), p.toJson().encode()));
      }
      producer.commitTransaction();
      ledger.commit();
    } catch (RuntimeException e) {
      ledger.rollback();
      throw e;
    }
    publishProducts();
    LOG.info("seeded {} with {} products", config.stockTopic(), catalogue.size());
  }

  // ---- the loop: one transaction per poll

  private void loop() {
    while (!stopping) {
      ConsumerRecords<String, String> records;
      try {
        records = consumer.poll(Duration.ofMillis(200));
      } catch (WakeupException e) {
        if (stopping) {
          return;
        }
        records = ConsumerRecords.empty();
      }
      lag.update(consumer);
      List<Command> queued = new ArrayList<>();
      commands.drainTo(queued);
      if (!records.isEmpty() || !queued.isEmpty()) {
        process(records, queued);
      }
    }
  }

  private void process(ConsumerRecords<String, String> records, List<Command> queued) {
    Map<TopicPartition, Long> first = new LinkedHashMap<>();
    Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
    List<Span> spans = new ArrayList<>();
    List<Decision> answers = new ArrayList<>();
    boolean done = false;
    ledger.begin();
    try {
      producer.beginTransaction();
      for (ConsumerRecord<String, String> r : records) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        first.putIfAbsent(tp, r.offset());
        next.put(tp, new OffsetAndMetadata(r.offset() + 1));
        spans.add(processRecord(r));
      }
      for (Command c : queued) {
        answers.add(apply(c));
      }
      if (!next.isEmpty()) {
        producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
      }
      // order may read a result as soon as the commit's markers are written, which can be before
      // commitTransaction() returns here: show the decided stock first, so a client that was told
      // CONFIRMED never reads the stock from before its order (on a failed commit it is put back)
      publishProducts(ledger.productsAsDecided());
      commit();
      ledger.commit();
      publishProducts();
      lastError = null;
      for (int i = 0; i < queued.size(); i++) {
        queued.get(i).succeed(answers.get(i));
      }
      spans.forEach(Span::end);
      done = true;
    } catch (KafkaException e) {
      ledger.rollback();
      publishProducts();
      lastError = e.toString();
      LOG.warn("stock transaction failed ({}); {} requests will be processed again", e.toString(), records.count());
      first.forEach(consumer::seek); // nothing of this batch happened: read it again
      queued.forEach(c -> c.fail("the stock transaction failed: " + e.getMessage()));
      spans.forEach(s -> {
        s.setStatus(StatusCode.ERROR, "transaction aborted: " + e.getMessage());
        s.end();
      });
      done = true;
      abortOrDrop(e);
      Poll.pause(Duration.ofMillis(500), () -> stopping);
    } finally {
      if (!done) {
        // an unexpected error leaves this method: no caller waits for its timeout, no span stays open
        ledger.rollback();
        publishProducts();
        queued.forEach(c -> c.fail("the stock transaction failed unexpectedly; inventory starts over from Kafka"));
        spans.forEach(Span::end);
      }
    }
  }

  /** One stock-reduction request from Kafka, under its CONSUMER span; the result's PRODUCER span is its child. */
  private Span processRecord(ConsumerRecord<String, String> r) {
    Span span = tracing.startProcess(r, config.consumerGroup());
    try (Scope ignored = span.makeCurrent()) {
      StockLedger.Outcome o;
      try {
        o = ledger.decide(ReductionRequest.fromKafkaValue(r.value()), Instant.now());
      } catch (ReductionRequest.InvalidRequest e) {
        if (e.requestId() == null) {
          span.setStatus(StatusCode.ERROR, "unreadable request: " + e.getMessage());
          LOG.warn("skipped unreadable stock-reduction request {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
          return span;
        }
        o = ledger.reject(e.requestId(), "invalid_request", e.getMessage(), Instant.now());
      }
      Decision d = o.decision();
      span.setAttribute(ORDER_ID, d.requestId());
      span.setAttribute(DECISION, d.status().name());
      span.setAttribute(DUPLICATE, o.duplicate());
      record(o);
      sendResult(d, span);
      count(o, "kafka");
      if (o.duplicate()) {
        LOG.info("order {} was decided before ({}): stock unchanged, result sent again", d.requestId(), d.status());
      } else {
        LOG.info("order {}: {} x{} {}{}", d.requestId(), d.productId(), d.quantity(), d.status(),
            d.confirmed() ? ", " + d.stockAfter() + " left" : " (" + d.message() + ")");
      }
    }
    return span;
  }

  private Decision apply(Command c) {
    StockLedger.Outcome o = ledger.decide(c.request(), Instant.now(), false);
    c.span().setAttribute(DECISION, o.decision().status().name());
    c.span().setAttribute(DUPLICATE, o.duplicate());
    record(o);
    count(o, "http");
    return o.decision();
  }

  /** Writes what changed to the state topics (inside the transaction; not traced: persistence, not a hop). */
  private void record(StockLedger.Outcome o) {
    if (o.duplicate()) {
      return;
    }
    if (o.changedProduct() != null) {
      Product p = o.changedProduct();
      producer.send(new ProducerRecord<>(config.stockTopic(), p.productId(), p.toJson().encode()));
    }
    Decision d = o.decision();
    if (o.stored()) {
      producer.send(new ProducerRecord<>(config.decisionsTopic(), d.requestId(), d.toJson().encode()));
    }
  }

  private void sendResult(Decision d, Span processSpan) {
    ProducerRecord<String, String> result = new ProducerRecord<>(config.resultsTopic(), d.requestId(), d.toResultJson().encode());
    // the parent is passed explicitly: the reply never depends on an ambient context (vertx-kafka-client #273)
    Span publish = tracing.startPublish(Context.root().with(processSpan), result);
    try {
      producer.send(result, (metadata, error) -> tracing.endPublish(publish, metadata, error));
    } catch (RuntimeException e) {
      tracing.endPublish(publish, null, e);
      throw e;
    }
  }

  private void count(StockLedger.Outcome o, String source) {
    decisions.add(1, Attributes.of(DECISION, o.decision().status().name(), SOURCE, source, DUPLICATE, o.duplicate()));
  }

  /** Commits; a commit that timed out (Kafka unreachable) may and must be retried with the same transaction. */
  private void commit() {
    while (true) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        if (stopping) {
          throw e;
        }
        lastError = "Kafka did not confirm the stock transaction: " + e.getMessage();
        LOG.warn("committing the stock transaction timed out ({}); retrying", e.getMessage());
      }
    }
  }

  private void abortOrDrop(KafkaException e) {
    boolean fatal = e instanceof ProducerFencedException || e instanceof OutOfOrderSequenceException
        || e instanceof AuthorizationException || e instanceof InvalidProducerEpochException;
    if (!fatal) {
      try {
        producer.abortTransaction();
        return;
      } catch (KafkaException again) {
        LOG.warn("aborting the stock transaction failed too ({}); starting a new producer", again.toString());
      }
    }
    // a fenced or broken producer cannot go on: let the outer loop start over from Kafka
    throw new KafkaException("the transactional producer cannot continue: " + e.getMessage(), e);
  }

  /** What GET /list-products shows: the committed stock. */
  private void publishProducts() {
    publishProducts(ledger.products());
  }

  private void publishProducts(Map<String, Product> sortedById) {
    products = java.util.Collections.unmodifiableMap(sortedById);
  }

  private void failQueued(String why) {
    List<Command> queued = new ArrayList<>();
    commands.drainTo(queued);
    queued.forEach(c -> c.fail(why));
  }

  private void closeClients() {
    KafkaConsumer<String, String> k = consumer;
    consumer = null;
    if (k != null) {
      try {
        k.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing the consumer: {}", e.toString());
      }
    }
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing the producer: {}", e.toString());
      }
      producer = null;
    }
  }

  private KafkaProducer<String, String> newProducer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  private KafkaConsumer<String, String> newConsumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.consumerGroup() + "-requests");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    // static membership: a restarted instance (even after kill -9) takes its partitions back at once
    // instead of waiting for the dead member's session to expire
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.transactionalId());
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }
}
