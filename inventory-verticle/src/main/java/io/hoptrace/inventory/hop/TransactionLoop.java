package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.process.Poll;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
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
 * consumed offsets ({@code sendOffsetsToTransaction}). The ledger stages the batch and commits
 * after Kafka did; an aborted transaction rolls it back and the consumer reads the batch again. A
 * producer that cannot go on (fenced, broken) ends the loop with an exception: the keeper starts
 * over from Kafka. Runs on the keeper's thread; owns the two clients it is given, and closes them.
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
  private final DirectReductions reductions;
  private final StockView view;
  private final InventoryMetrics metrics;
  private final AtomicReference<String> lastError;
  private final BooleanSupplier stopping;

  /** @param producer transactions initialised: {@code initTransactions()} fenced any predecessor */
  TransactionLoop(KafkaConsumer<String, String> consumer, KafkaProducer<String, String> producer, String requestsTopic,
      String restocksTopic, Restocks restocks, StockLedger ledger, RequestProcessor processor, DirectReductions reductions, StockView view, InventoryMetrics metrics,
      AtomicReference<String> lastError, BooleanSupplier stopping) {
    this.consumer = consumer;
    this.producer = producer;
    this.requestsTopic = requestsTopic;
    this.restocksTopic = restocksTopic;
    this.restocks = restocks;
    this.ledger = ledger;
    this.processor = processor;
    this.reductions = reductions;
    this.view = view;
    this.metrics = metrics;
    this.lastError = lastError;
    this.stopping = stopping;
  }

  /** Subscribes, then until stopping: poll, take the queued reductions, one transaction for both. */
  void run() {
    consumer.subscribe(List.of(requestsTopic, restocksTopic));
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
      for (DirectReduction c : batch.reductions()) {
        batch.answered(c, processor.apply(c));
      }
      if (!batch.nextOffsets().isEmpty()) {
        producer.sendOffsetsToTransaction(batch.nextOffsets(), consumer.groupMetadata());
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
        view.showCommitted(ledger);
        batch.abandoned();
      }
    }
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
