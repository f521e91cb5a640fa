package io.hoptrace.order.hop;

import io.hoptrace.order.OrderConfig;
import io.hoptrace.order.orders.Order;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes orders' stock-reduction requests to {@code stock-reductions} (key = productId, so one
 * product's requests stay in order), each under a PRODUCER span, in Kafka transactions: the
 * requests waiting when a transaction starts go into it together (a group commit), and so do those
 * that arrive while its requests are on their way to Kafka (once, before the commit: ADR 016).
 *
 * <p>Transactions make the answer to the customer exact. Inventory and every reader read
 * committed records only, and only this publisher can commit, so a request whose send failed is
 * certainly never seen ({@link NotPublished}, the order is refused), even if the broker had written
 * it. Only a commit that failed leaves the outcome open ({@link Publication#UNKNOWN}): the order is
 * accepted as PENDING and {@link PublishSettlement} settles it from the order service's own reader.
 */
public final class StockReductionPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StockReductionPublisher.class);
  /** requests per transaction at most */
  private static final int MAX_BATCH = 500;

  /** What became of a request that was handed to Kafka. */
  public enum Publication {
    /** the transaction committed: inventory will read the request */
    COMMITTED,
    /** the commit failed: the request may or may not be committed; the reader settles it */
    UNKNOWN
  }

  /** The request certainly is not (and never will be) in Kafka: never sent, or its transaction was not committed. */
  public static final class NotPublished extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotPublished(String message) {
      super(message, null, false, false);
    }
  }

  /** One request on its way; claimed once, either by the sending thread or by its send deadline. */
  private static final class Job {
    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int EXPIRED = 2;

    final Order order;
    final ProducerRecord<String, String> record;
    final Span span;
    final Promise<Publication> promise = Promise.promise();
    final io.vertx.core.Context vertxContext;
    final AtomicInteger state = new AtomicInteger(QUEUED);
    volatile long timer = -1;
    final AtomicBoolean spanEnded = new AtomicBoolean();
    volatile RecordMetadata metadata;
    volatile Exception error;

    Job(Order order, ProducerRecord<String, String> record, Span span, io.vertx.core.Context vertxContext) {
      this.order = order;
      this.record = record;
      this.span = span;
      this.vertxContext = vertxContext;
    }

    boolean claim() {
      if (!state.compareAndSet(QUEUED, CLAIMED)) {
        return false;
      }
      long t = timer;
      if (t >= 0) {
        vertxContext.owner().cancelTimer(t);
      }
      return true;
    }

    void endSpan(KafkaTracing tracing, RecordMetadata metadata, Exception error) {
      if (spanEnded.compareAndSet(false, true)) {
        tracing.endPublish(span, metadata, error);
      }
    }

    void complete(Publication p) {
      vertxContext.runOnContext(v -> promise.complete(p));
    }

    void fail(NotPublished e) {
      vertxContext.runOnContext(v -> promise.fail(e));
    }
  }

  private final String topic;
  private final KafkaTracing tracing;
  private final PublishSettlement settlement;
  private final Properties producerConfig;
  private final long publishMs;
  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closing;
  private volatile Runnable beforeCommit = () -> { };
  private volatile Runnable beforeBegin = () -> { };
  private KafkaProducer<String, String> producer;
  /** initTransactions() went through (it may time out and must then be called again) */
  private boolean initialized;
  /** the last commit timed out: it must be retried before anything else (Kafka's rule) */
  private boolean commitPending;
  /** the last abort timed out: it must be retried before the next transaction */
  private boolean abortPending;

  /** Starts the publishing thread; the producer connects on it (construct off the event loop anyway). */
  public StockReductionPublisher(OrderConfig config, KafkaTracing tracing, PublishSettlement settlement) {
    this.topic = config.requestsTopic();
    this.tracing = tracing;
    this.settlement = settlement;
    this.publishMs = config.publishTimeout().toMillis();
    this.producerConfig = producerProperties(config);
    this.thread = new Thread(this::run, "order-kafka-publish");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** The transactional producer's settings: its id, the shared transactional settings, every call within the publish timeout. */
  static Properties producerProperties(OrderConfig config) {
    long publishMs = config.publishTimeout().toMillis();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(p);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    // acks=all, idempotence, a short retry back-off (CONCURRENT_TRANSACTIONS after each commit)
    io.hoptrace.kafka.TransactionalProducerSettings.applyTo(p);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // a send's outcome, and each transaction call, within the publish timeout
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) publishMs);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, publishMs / 2 - 10));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, publishMs);
    // an open transaction holds back every read_committed reader of its partitions: when this
    // process dies mid-transaction, the coordinator aborts it after this long (a restart sooner)
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.max(10_000, 2 * publishMs));
    return p;
  }

  /**
   * Test seam: runs on the publishing thread after a transaction's records were acknowledged and
   * before its commit, so a test can fail Kafka at exactly that point.
   */
  public void beforeCommit(Runnable hook) {
    this.beforeCommit = hook;
  }

  /**
   * Test seam: runs on the publishing thread just before a transaction begins, so a test can make
   * Kafka's producer throw there as it does in a race (see {@link #transact}).
   */
  public void beforeBegin(Runnable hook) {
    this.beforeBegin = hook;
  }

  /**
   * @param parent the context of the HTTP SERVER span (the PRODUCER span's parent)
   * @param vertxContext where the returned future completes
   * @param sendBy {@link System#nanoTime()} after which the request must not be handed to Kafka any
   *     more (requests queue while Kafka is away): it then fails {@link NotPublished} unsent, so the
   *     answer stays within its timeout and a refused order is never published later
   * @return COMMITTED or UNKNOWN; failed with {@link NotPublished} when it certainly is not in Kafka
   */
  public Future<Publication> publish(Order order, Context parent, io.vertx.core.Context vertxContext, long sendBy) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, order.productId(), order.toRequestJson().encode());
    Job job = new Job(order, record, tracing.startPublish(parent, record), vertxContext);
    long delayMs = TimeUnit.NANOSECONDS.toMillis(sendBy - System.nanoTime());
    if (delayMs < 1 || closing) {
      expire(job, closing ? "the order service is stopping" : "its send deadline had passed");
      return job.promise.future();
    }
    queue.add(job);
    job.timer = vertxContext.owner().setTimer(delayMs,
        id -> expire(job, "earlier requests were still waiting for Kafka when its send deadline passed"));
    return job.promise.future();
  }

  private void expire(Job job, String why) {
    if (job.state.compareAndSet(Job.QUEUED, Job.EXPIRED)) {
      NotPublished e = new NotPublished("not sent: " + why);
      job.endSpan(tracing, null, e);
      job.fail(e);
    }
  }

  // ---- the publishing thread

  private void run() {
    while (!closing) {
      try {
        if (!ready()) {
          continue;
        }
        List<Job> batch = nextBatch();
        if (!batch.isEmpty()) {
          transact(batch);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("publishing stock-reduction requests failed unexpectedly; starting a new producer", e);
        discardProducer();
      }
    }
  }

  /** Brings the producer to a state where a transaction can begin; false (after a pause) when Kafka is not there yet. */
  private boolean ready() throws InterruptedException {
    try {
      if (producer == null) {
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
      }
      if (!initialized) {
        producer.initTransactions(); // also aborts what a predecessor with our id left open
        initialized = true;
      }
      if (commitPending) {
        producer.commitTransaction();
        commitPending = false;
        LOG.info("the timed-out stock-reduction transaction committed on retry");
      }
      if (abortPending) {
        producer.abortTransaction();
        abortPending = false;
      }
      return true;
    } catch (TimeoutException e) {
      LOG.warn("Kafka is not answering ({}); stock-reduction requests wait (refused after ORDER_PUBLISH_TIMEOUT)", e.getMessage());
    } catch (KafkaException e) {
      LOG.warn("the stock-reduction producer cannot continue ({}); starting a new one", e.toString());
      discardProducer();
    }
    Thread.sleep(200);
    return false;
  }

  private List<Job> nextBatch() throws InterruptedException {
    Job first = queue.poll(200, TimeUnit.MILLISECONDS);
    if (first == null) {
      return new ArrayList<>();
    }
    List<Job> batch = new ArrayList<>();
    if (first.claim()) {
      batch.add(first);
    }
    batch.addAll(claimWaiting(MAX_BATCH - 1));
    return batch;
  }

  /** The requests queued now (at most {@code max}), each claimed: those whose deadline passed are left to it. */
  private List<Job> claimWaiting(int max) {
    List<Job> all = new ArrayList<>();
    queue.drainTo(all, Math.max(0, max));
    List<Job> claimed = new ArrayList<>(all.size());
    for (Job j : all) {
      if (j.claim()) {
        claimed.add(j);
      }
    }
    return claimed;
  }

  /**
   * One transaction for a batch. It never throws: every job of the batch ends refused (certainly not
   * committed), COMMITTED or UNKNOWN (settled by the reader), or a request would wait forever (its
   * client answered 202 and the order PENDING for good).
   */
  private void transact(List<Job> batch) {
    Exception sendError = null;
    boolean producerUnusable = false;
    try {
      beforeBegin.run();
      producer.beginTransaction();
      // not flush(): while the transaction coordinator is unreachable the producer does not expire
      // batches, so the publish timeout is enforced here
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(publishMs);
      sendAndAwait(batch, deadline);
      // the requests that came while this batch was on its way join it (once): they are committed with
      // it instead of waiting for its commit and a whole transaction of their own (ADR 016)
      List<Job> late = claimWaiting(MAX_BATCH - batch.size());
      if (!late.isEmpty()) {
        batch.addAll(late); // before sending: whatever fails now refuses them with the rest
        sendAndAwait(late, deadline);
      }
    } catch (KafkaException e) {
      sendError = e;
    } catch (ExecutionException e) {
      sendError = e.getCause() instanceof Exception cause ? cause : e;
    } catch (java.util.concurrent.TimeoutException e) {
      sendError = new TimeoutException("Kafka did not acknowledge the request within " + publishMs + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sendError = e;
    } catch (RuntimeException e) {
      // Kafka's own race (seen in the fault suite): an abort that bumps the producer epoch returns
      // while the producer still re-initializes its id in the background, and beginTransaction then
      // throws IllegalStateException "Invalid transition attempted from state INITIALIZING to state
      // IN_TRANSACTION". Whatever state the producer is in, this transaction is never committed.
      sendError = e;
      producerUnusable = true;
    }
    if (sendError != null) {
      // never committed, so never visible to any read_committed reader: a certain refusal
      NotPublished refused = new NotPublished(sendError.getMessage());
      for (Job j : batch) {
        j.endSpan(tracing, null, sendError);
        j.fail(refused);
      }
      if (producerUnusable) {
        LOG.warn("the stock-reduction producer failed ({}); {} requests refused, starting a new producer", sendError.toString(), batch.size());
        discardProducer(); // the next producer's initTransactions aborts whatever this one left open
      } else {
        abort();
      }
      return;
    }
    for (Job j : batch) {
      settlement.expect(j.order, new TopicPartition(j.metadata.topic(), j.metadata.partition()), j.metadata.offset());
    }
    try {
      beforeCommit.run();
      producer.commitTransaction();
      batch.forEach(j -> j.complete(Publication.COMMITTED));
    } catch (TimeoutException e) {
      commitPending = true;
      LOG.warn("committing {} stock-reduction requests timed out ({}); retrying, their orders are PENDING until settled", batch.size(), e.getMessage());
      batch.forEach(j -> j.complete(Publication.UNKNOWN));
    } catch (RuntimeException e) {
      // a KafkaException, or Kafka's IllegalStateException (see above): the outcome is unknown
      LOG.warn("committing {} stock-reduction requests failed ({}); starting a new producer, their orders are settled by the reader",
          batch.size(), e.toString());
      discardProducer();
      batch.forEach(j -> j.complete(Publication.UNKNOWN));
    }
  }

  /** Sends the requests in the open transaction and waits until Kafka acknowledged each, by the deadline. */
  private void sendAndAwait(List<Job> jobs, long deadline)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>(jobs.size());
    for (Job j : jobs) {
      acks.add(producer.send(j.record, (metadata, error) -> {
        j.metadata = metadata;
        j.error = error;
        j.endSpan(tracing, metadata, error);
      }));
    }
    for (java.util.concurrent.Future<RecordMetadata> ack : acks) {
      ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  private void abort() {
    try {
      producer.abortTransaction();
    } catch (TimeoutException e) {
      abortPending = true;
    } catch (KafkaException e) {
      discardProducer(); // the next producer's initTransactions aborts what this one left open
    }
  }

  private void discardProducer() {
    initialized = false;
    commitPending = false;
    abortPending = false;
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("closing the producer: {}", e.toString());
      }
      producer = null;
    }
  }

  /** Blocking: stops taking requests, refuses those still queued, finishes the transaction in progress, closes the producer. */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(2 * publishMs + 5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Job> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(j -> expire(j, "the order service is stopping"));
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing the producer: {}", e.toString());
      }
    }
  }
}
