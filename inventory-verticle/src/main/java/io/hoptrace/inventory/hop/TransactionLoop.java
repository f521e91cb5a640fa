package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.process.Poll;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-process-write (ADR 001): each poll of the requests (reductions and restocks), with the direct reductions queued
 * meanwhile, is one Kafka transaction of the changed products, the decisions, the results and the
 * consumed offsets ({@code sendOffsetsToTransaction}); the batch's records are written together once
 * it is decided, each changed product once ({@link TransactionOutbox}, ADR 016). The ledger stages the batch and commits
 * after Kafka did; an aborted transaction rolls it back and the consumer reads the batch again. A
 * producer that cannot go on (fenced, broken) ends the loop with an exception: the keeper starts
 * over from Kafka. Runs on the keeper's thread; owns the two clients it is given, and closes them.
 *
 * <p>Ownership (ADR 001): the consumer group assigns partition numbers of the requests and the
 * restocks alike (range assignor, same partition counts); the ledger holds the state of exactly
 * those partitions. On assignment (inside {@code poll}, between two transactions, so none is open)
 * it waits for the committed offsets to be stable (a previous owner's transaction finished), rebuilds
 * the partitions' state from the state topics and seeds the catalogue's products of a partition
 * without any; on revocation or loss it drops all state. Every transaction sends the offsets of the
 * partitions it touched with {@code consumer.groupMetadata()}, so an instance of an old generation
 * cannot commit (KIP-447).
 */
final class TransactionLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionLoop.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration AFTER_ABORT = Duration.ofMillis(500);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final KafkaConsumer<String, String> consumer;
  private final KafkaProducer<String, String> producer;
  private final String requestsTopic;
  private final String restocksTopic;
  private final Restocks restocks;
  private final StockLedger ledger;
  private final RequestProcessor processor;
  private final TransactionOutbox outbox;
  private final DirectReductions reductions;
  private final StockView view;
  private final InventoryMetrics metrics;
  private final AtomicReference<String> lastError;
  private final BooleanSupplier stopping;
  private final StateTopics state;
  private final Partitioning partitioning;
  private final List<Product> catalogue;
  private final Runnable onFirstAssignment;
  private boolean readyPending;
  private Set<Integer> toSeed = Set.of();
  private boolean assignedOnce;

  /** @param producer transactions initialised: {@code initTransactions()} fenced any predecessor */
  TransactionLoop(KafkaConsumer<String, String> consumer, KafkaProducer<String, String> producer, String requestsTopic,
      String restocksTopic, Restocks restocks, StockLedger ledger, RequestProcessor processor, TransactionOutbox outbox, DirectReductions reductions, StockView view, InventoryMetrics metrics,
      AtomicReference<String> lastError, BooleanSupplier stopping, StateTopics state, Partitioning partitioning,
      List<Product> catalogue, Runnable onFirstAssignment) {
    this.consumer = consumer;
    this.producer = producer;
    this.requestsTopic = requestsTopic;
    this.restocksTopic = restocksTopic;
    this.restocks = restocks;
    this.ledger = ledger;
    this.processor = processor;
    this.outbox = outbox;
    this.reductions = reductions;
    this.view = view;
    this.metrics = metrics;
    this.lastError = lastError;
    this.stopping = stopping;
    this.state = state;
    this.partitioning = partitioning;
    this.catalogue = catalogue;
    this.onFirstAssignment = onFirstAssignment;
  }

  /** Subscribes, then until stopping: poll, take the queued reductions, one transaction for both. */
  void run() {
    consumer.subscribe(List.of(requestsTopic, restocksTopic), new Ownership());
    while (!stopping.getAsBoolean()) {
      ConsumerRecords<String, String> records;
      try {
        records = consumer.poll(POLL);
      } catch (WakeupException e) {
        if (stopping.getAsBoolean()) {
          return;
        }
        records = ConsumerRecords.empty(); // a reduction was queued: do not wait for the poll timeout
      }
      metrics.polled(consumer);
      if (!toSeed.isEmpty()) {
        seed();
      }
      if (readyPending) {
        // ready once the first partitions are rebuilt and their catalogue seeded: a reduction accepted
        // from now on finds its product, and the producer has nothing else in flight
        readyPending = false;
        onFirstAssignment.run();
      }
      List<DirectReduction> queued = reductions.drain();
      if (!records.isEmpty() || !queued.isEmpty()) {
        transact(records, new Batch(records, queued));
      }
    }
  }

  /** Ends a {@link #run} from another thread: its poll returns at once. */
  void wakeup() {
    consumer.wakeup();
  }

  private void transact(ConsumerRecords<String, String> records, Batch batch) {
    try {
      ledger.begin();
      outbox.clear();
      producer.beginTransaction();
      for (ConsumerRecord<String, String> r : records) {
        Span span = processor.startSpan(r);
        batch.consumed(r, span);
        if (r.topic().equals(restocksTopic)) {
          StockLedger.Outcome o = processor.restock(r, span);
          if (o != null) {
            batch.afterCommit(() -> restocks.applied(o));
          }
        } else {
          processor.process(r, span);
        }
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>(batch.nextOffsets());
      for (DirectReduction c : batch.reductions()) {
        int p = partitioning.of(c.request().productId());
        if (!view.ownedPartitions().contains(p)) {
          // the partition moved to another instance since the caller checked: it decides, not us
          c.fail("product '" + c.request().productId() + "' is now decided by another inventory instance; retrying with the same requestId is safe");
          continue;
        }
        batch.answered(c, processor.apply(c, p));
        // the direct reduction's partition joins the transaction's offsets too: an instance of an old
        // generation cannot commit it (KIP-447)
        TopicPartition tp = new TopicPartition(requestsTopic, p);
        offsets.putIfAbsent(tp, new OffsetAndMetadata(consumer.position(tp)));
      }
      // the batch's records together (one stock record per product): the producer adds their partitions
      // to the transaction at once, and a hot product's N decisions write N + 1 state records, not 2N
      outbox.writeTo(producer::send);
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      }
      // order may read a result as soon as the commit's markers are written, which can be before
      // commitTransaction() returns here: show the decided stock first, so a client that was told
      // CONFIRMED never reads the stock from before its order (on a failed commit it is put back)
      view.showAsDecided(ledger);
      commit();
      ledger.commit();
      view.showCommitted(ledger);
      lastError.set(null);
      batch.committed();
    } catch (KafkaException e) {
      ledger.rollback();
      outbox.clear();
      view.showCommitted(ledger);
      lastError.set(e.toString());
      LOG.warn("stock transaction failed ({}); {} requests will be processed again", e.toString(), batch.recordCount());
      batch.firstOffsets().forEach(consumer::seek); // nothing of this batch happened: read it again
      batch.aborted(e);
      abortOrDrop(e);
      Poll.pause(AFTER_ABORT, stopping);
    } finally {
      if (batch.isOpen()) {
        // an unexpected error leaves this method: no caller waits for its timeout, no span stays open
        ledger.rollback();
        outbox.clear();
        view.showCommitted(ledger);
        batch.abandoned();
      }
    }
  }

  /** Writes the catalogue's products of the partitions assigned without any product, fenced by the group like a batch. */
  private void seed() {
    Set<Integer> partitions = toSeed;
    toSeed = Set.of();
    List<Product> products = catalogue.stream().filter(p -> partitions.contains(partitioning.of(p.productId()))).toList();
    if (products.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    for (int p : partitions) {
      TopicPartition tp = new TopicPartition(requestsTopic, p);
      offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
    }
    try {
      state.seed(ledger, producer, products, () -> producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata()));
    } catch (KafkaException e) {
      abortOrDrop(e);
      throw e; // the keeper starts over (and seeds again if it still owns the partitions)
    }
    view.showCommitted(ledger);
  }

  /** The partitions this loop holds the state of: rebuilt on assignment, dropped on revocation (inside poll). */
  private final class Ownership implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      drop("revoked", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      drop("lost", partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Set<Integer> requests = numbers(partitions, requestsTopic);
      Set<Integer> restocks = numbers(partitions, restocksTopic);
      if (!requests.equals(restocks)) {
        throw new KafkaException("the group assigned partitions " + requests + " of " + requestsTopic + " but " + restocks
            + " of " + restocksTopic + "; inventory needs the same numbers of both (range assignor, same partition counts)");
      }
      if (!partitions.isEmpty()) {
        awaitStableOffsets(partitions);
      }
      ledger.clear();
      state.rebuild(ledger, requests, stopping);
      Set<Integer> withProducts = ledger.products().keySet().stream().map(partitioning::of).collect(Collectors.toSet());
      toSeed = requests.stream().filter(p -> !withProducts.contains(p)).collect(Collectors.toSet());
      view.owning(partitioning, requests);
      view.showCommitted(ledger);
      LOG.info("stock keeper owns partitions {} of {}: {} products, {} decisions", requests, requestsTopic,
          ledger.products().size(), ledger.decisionCount());
      if (!assignedOnce) {
        assignedOnce = true;
        readyPending = true; // announced by run() after the seed
      }
    }

    /**
     * The committed offsets of newly assigned partitions, read as stable: the broker answers once no
     * transaction of a previous owner still holds offsets of them, so the state read next contains
     * whatever that owner committed.
     */
    private void awaitStableOffsets(Collection<TopicPartition> partitions) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (true) {
        try {
          consumer.committed(Set.copyOf(partitions));
          return;
        } catch (TimeoutException e) {
          if (stopping.getAsBoolean() || System.nanoTime() > deadline) {
            throw e;
          }
          LOG.info("waiting for a previous owner's transaction on {} to end", partitions);
        }
      }
    }

    private void drop(String how, Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        LOG.info("stock keeper {} partitions {}: dropping their state", how, numbers(partitions, requestsTopic));
      }
      ledger.clear();
      toSeed = Set.of();
      view.owning(partitioning, Set.of());
      view.showCommitted(ledger);
    }
  }

  private static Set<Integer> numbers(Collection<TopicPartition> partitions, String topic) {
    return partitions.stream().filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Commits; a commit that timed out (Kafka unreachable) may and must be retried with the same transaction. */
  private void commit() {
    while (true) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        if (stopping.getAsBoolean()) {
          throw e;
        }
        lastError.set("Kafka did not confirm the stock transaction: " + e.getMessage());
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
    // a fenced or broken producer cannot go on: let the keeper start over from Kafka
    throw new KafkaException("the transactional producer cannot continue: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    closeQuietly(consumer, producer);
  }

  /** Closes what was opened of a pair of clients (either may be null). */
  static void closeQuietly(KafkaConsumer<String, String> consumer, KafkaProducer<String, String> producer) {
    if (consumer != null) {
      try {
        consumer.close(CLOSE_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.debug("closing the consumer: {}", e.toString());
      }
    }
    if (producer != null) {
      try {
        producer.close(CLOSE_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.debug("closing the producer: {}", e.toString());
      }
    }
  }
}
