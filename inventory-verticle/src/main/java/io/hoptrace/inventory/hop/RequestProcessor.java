package io.hoptrace.inventory.hop;

import static io.hoptrace.inventory.hop.StockAttributes.DECISION;
import static io.hoptrace.inventory.hop.StockAttributes.DUPLICATE;
import static io.hoptrace.inventory.hop.StockAttributes.ORDER_ID;
import static io.hoptrace.inventory.hop.StockAttributes.PRODUCT_ID;
import static io.hoptrace.inventory.hop.StockAttributes.QUANTITY;
import static io.hoptrace.inventory.hop.StockAttributes.REQUEST_ID;

import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.hoptrace.inventory.stock.RestockRequest;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the requests of an open stock transaction against the ledger and sends what each decided:
 * its state records and, for a request from Kafka, the result for the order service. A request from
 * Kafka is processed under its CONSUMER span, the parent of the result's PRODUCER span; a direct
 * reduction's decision goes on its {@code stock transaction} span. The caller opened the transaction
 * and ends the spans with it ({@link Batch}).
 */
final class RequestProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);

  /** Where the transaction's records go: the transactional producer's {@code send}. */
  @FunctionalInterface
  interface Outbox {
    void send(ProducerRecord<String, String> record, Callback whenSent);
  }

  private final StockLedger ledger;
  private final Outbox outbox;
  private final StateTopics state;
  private final KafkaTracing tracing;
  private final InventoryMetrics metrics;
  private final String consumerGroup;
  private final String resultsTopic;
  private final Clock clock;

  RequestProcessor(StockLedger ledger, Outbox outbox, StateTopics state, KafkaTracing tracing, InventoryMetrics metrics,
      String consumerGroup, String resultsTopic, Clock clock) {
    this.ledger = ledger;
    this.outbox = outbox;
    this.state = state;
    this.tracing = tracing;
    this.metrics = metrics;
    this.consumerGroup = consumerGroup;
    this.resultsTopic = resultsTopic;
    this.clock = clock;
  }

  /** The CONSUMER span {@code <topic> process} of a request from Kafka, to hand to {@link #process}. */
  Span startSpan(ConsumerRecord<String, String> r) {
    return tracing.startProcess(r, consumerGroup);
  }

  /**
   * One stock-reduction request from Kafka: decided, recorded and answered under its span. A direct
   * reduction another instance forwarded ({@link Restocks#FORWARDED} header) is decided as over HTTP
   * (a refusal is not final) and gets no result record: no order waits for it.
   */
  void process(ConsumerRecord<String, String> r, Span span) {
    boolean forwarded = r.headers().lastHeader(Restocks.FORWARDED) != null;
    try (Scope ignored = span.makeCurrent()) {
      StockLedger.Outcome o;
      try {
        o = ledger.decide(ReductionRequest.fromKafkaValue(r.value()), clock.instant(), !forwarded);
      } catch (ReductionRequest.InvalidRequest e) {
        if (e.requestId() == null) {
          span.setStatus(StatusCode.ERROR, "unreadable request: " + e.getMessage());
          LOG.warn("skipped unreadable stock-reduction request {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
          return;
        }
        o = ledger.reject(e.requestId(), "invalid_request", e.getMessage(), clock.instant());
      }
      Decision d = o.decision();
      span.setAttribute(ORDER_ID, d.requestId());
      span.setAttribute(DECISION, d.status().name());
      span.setAttribute(DUPLICATE, o.duplicate());
      record(o, r.partition());
      if (forwarded) {
        metrics.decided(o, InventoryMetrics.HTTP);
      } else {
        sendResult(d, span);
        metrics.decided(o, InventoryMetrics.KAFKA);
      }
      if (o.duplicate()) {
        LOG.info("order {} was decided before ({}): stock unchanged, result sent again", d.requestId(), d.status());
      } else {
        LOG.info("order {}: {} x{} {}{}", d.requestId(), d.productId(), d.quantity(), d.status(),
            d.confirmed() ? ", " + d.stockAfter() + " left" : " (" + d.message() + ")");
      }
    }
  }

  /**
   * One restock from Kafka, decided and recorded under its CONSUMER span (no reply record: the caller
   * waits in this process, {@link Restocks}). Null when the record cannot even be read.
   */
  StockLedger.Outcome restock(ConsumerRecord<String, String> r, Span span) {
    try (Scope ignored = span.makeCurrent()) {
      StockLedger.Outcome o;
      try {
        o = ledger.restock(RestockRequest.fromKafkaValue(r.value()), clock.instant());
      } catch (ReductionRequest.InvalidRequest e) {
        if (e.requestId() == null) {
          span.setStatus(StatusCode.ERROR, "unreadable restock: " + e.getMessage());
          LOG.warn("skipped unreadable restock {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
          return null;
        }
        o = ledger.reject(e.requestId(), "invalid_request", e.getMessage(), clock.instant());
      }
      Decision d = o.decision();
      span.setAttribute(REQUEST_ID, d.requestId());
      span.setAttribute(PRODUCT_ID, d.productId());
      span.setAttribute(QUANTITY, (long) d.quantity());
      span.setAttribute(DECISION, d.status().name());
      span.setAttribute(DUPLICATE, o.duplicate());
      record(o, r.partition());
      metrics.restocked(o);
      if (o.duplicate()) {
        LOG.info("restock {} was decided before ({}): stock unchanged", d.requestId(), d.status());
      } else {
        LOG.info("restock {}: {} +{} {}{}", d.requestId(), d.productId(), d.quantity(), d.status(),
            d.confirmed() ? ", " + d.stockAfter() + " in stock" : " (" + d.message() + ")");
      }
      return o;
    }
  }

  /** One direct reduction: decided and recorded; its caller hears the decision once the transaction committed. */
  Decision apply(DirectReduction c) {
    return apply(c, null);
  }

  /** @param partition the product's partition number (its state records go there), or null for the key's */
  Decision apply(DirectReduction c, Integer partition) {
    // a refusal over HTTP is not final: the same requestId may succeed after a refill
    StockLedger.Outcome o = ledger.decide(c.request(), clock.instant(), false);
    c.span().setAttribute(DECISION, o.decision().status().name());
    c.span().setAttribute(DUPLICATE, o.duplicate());
    record(o, partition);
    metrics.decided(o, InventoryMetrics.HTTP);
    return o.decision();
  }

  private void record(StockLedger.Outcome o, Integer partition) {
    state.records(o, partition).forEach(r -> outbox.send(r, null));
  }

  private void sendResult(Decision d, Span processSpan) {
    ProducerRecord<String, String> result = new ProducerRecord<>(resultsTopic, d.requestId(), d.toResultJson().encode());
    // the parent is passed explicitly: the reply never depends on an ambient context (vertx-kafka-client #273)
    Span publish = tracing.startPublish(Context.root().with(processSpan), result);
    try {
      outbox.send(result, (metadata, error) -> tracing.endPublish(publish, metadata, error));
    } catch (RuntimeException e) {
      tracing.endPublish(publish, null, e);
      throw e;
    }
  }
}
