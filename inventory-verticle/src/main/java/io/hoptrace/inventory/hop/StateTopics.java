package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.kafka.TopicFollower;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * inventory's state in Kafka, the compacted topics {@code inventory-stock} (product by productId)
 * and {@code inventory-decisions} (decision by request id): a {@link StockLedger} rebuilt from them,
 * the records a decision adds to them, and the catalogue seeded into an empty stock topic. Blocking:
 * runs on the keeper's thread.
 *
 * <p>{@link #rebuild} returns a new ledger and knows nothing of the keeper's clients, so that it can
 * later rebuild the state of the partitions a consumer is assigned.
 */
final class StateTopics {
  private static final Logger LOG = LoggerFactory.getLogger(StateTopics.class);
  private static final Duration REBUILD_TIMEOUT = Duration.ofMinutes(2);

  private final InventoryConfig config;

  StateTopics(InventoryConfig config) {
    this.config = config;
  }

  /** Reads both state topics to their end (committed records only) into a new ledger. */
  StockLedger rebuild() {
    StockLedger l = new StockLedger();
    long t0 = System.nanoTime();
    try (TopicFollower reader = TopicFollower.builder(config.kafkaBootstrapServers(), config.consumerGroup() + "-rebuild")
        .topics(List.of(config.stockTopic(), config.decisionsTopic()))
        .stopWhenCaughtUp()
        .handler((r, live) -> restore(l, r))
        .build()
        .start()) {
      reader.awaitCaughtUp(REBUILD_TIMEOUT);
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

  /** Applies one record of a state topic to the ledger; a tombstone (null value) forgets its key. */
  void restore(StockLedger l, ConsumerRecord<String, String> r) {
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

  /**
   * What a decision writes to the state topics: the product with its new stock, if it changed, and
   * the decision, if it is final. Nothing for a duplicate. Not traced: persistence, not a hop.
   */
  List<ProducerRecord<String, String>> records(StockLedger.Outcome o) {
    List<ProducerRecord<String, String>> out = new ArrayList<>(2);
    if (o.duplicate()) {
      return out;
    }
    if (o.changedProduct() != null) {
      out.add(stockRecord(o.changedProduct()));
    }
    Decision d = o.decision();
    if (o.stored()) {
      out.add(new ProducerRecord<>(config.decisionsTopic(), d.requestId(), d.toJson().encode()));
    }
    return out;
  }

  /** Writes the catalogue to the stock topic in a transaction of its own, and into the ledger once committed. */
  void seed(StockLedger ledger, Producer<String, String> producer, List<Product> catalogue) {
    ledger.begin();
    try {
      producer.beginTransaction();
      for (Product p : catalogue) {
        ledger.put(p);
        producer.send(stockRecord(p));
      }
      producer.commitTransaction();
      ledger.commit();
    } catch (RuntimeException e) {
      ledger.rollback();
      throw e;
    }
    LOG.info("seeded {} with {} products", config.stockTopic(), catalogue.size());
  }

  private ProducerRecord<String, String> stockRecord(Product p) {
    return new ProducerRecord<>(config.stockTopic(), p.productId(), p.toJson().encode());
  }
}
