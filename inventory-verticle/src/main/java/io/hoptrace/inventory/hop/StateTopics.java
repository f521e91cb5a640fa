package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.kafka.TopicFollower;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * <p>Both topics are partitioned like the requests: a product's stock record and the decisions of
 * the requests that came in partition {@code p} are written to partition {@code p}, so the owner of
 * a partition of the requests rebuilds exactly its state from the same partition numbers ({@link
 * #rebuild(StockLedger, Collection, BooleanSupplier)}).
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

  /**
   * The partitioning shared by the requests, restocks and both state topics; refuses topics whose
   * partition counts differ (a product's records would live in different partition numbers).
   */
  Partitioning partitioning() {
    try (KafkaConsumer<String, String> c = consumer("read_committed")) {
      Map<String, Integer> counts = new java.util.LinkedHashMap<>();
      for (String topic : List.of(config.requestsTopic(), config.restocksTopic(), config.stockTopic(), config.decisionsTopic())) {
        List<PartitionInfo> infos = c.partitionsFor(topic);
        counts.put(topic, infos == null ? 0 : infos.size());
      }
      if (counts.values().stream().distinct().count() != 1 || counts.get(config.requestsTopic()) == 0) {
        throw new KafkaException("inventory needs the same partition count on " + counts.keySet()
            + " (a product's requests, stock and decisions share a partition number), found " + counts
            + "; give all four the same count with inventory stopped and move the state of the products whose partition"
            + " changes (docs/scaling.md, 'Raising partition counts')");
      }
      return new Partitioning(counts.get(config.requestsTopic()));
    }
  }

  /**
   * Adds to {@code l} the committed state of some partition numbers of both state topics. Reads until
   * it passed every record written so far, open transactions included: a transaction a previous
   * owner left open is waited for (it commits or is aborted, at the latest at its timeout), so no
   * committed change of these partitions is missed.
   */
  void rebuild(StockLedger l, Collection<Integer> partitions, BooleanSupplier stopping) {
    if (partitions.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    List<TopicPartition> tps = new ArrayList<>();
    for (int p : partitions) {
      tps.add(new TopicPartition(config.stockTopic(), p));
      tps.add(new TopicPartition(config.decisionsTopic(), p));
    }
    try (KafkaConsumer<String, String> committed = consumer("read_committed");
        KafkaConsumer<String, String> all = consumer("read_uncommitted")) {
      Map<TopicPartition, Long> end = all.endOffsets(tps);
      committed.assign(tps);
      committed.seekToBeginning(tps);
      long deadline = System.nanoTime() + REBUILD_TIMEOUT.toNanos();
      while (tps.stream().anyMatch(tp -> committed.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline || stopping.getAsBoolean()) {
          throw new KafkaException("could not read partitions " + partitions + " of " + config.stockTopic() + ", "
              + config.decisionsTopic() + " to their end within " + REBUILD_TIMEOUT.toMinutes() + " minutes");
        }
        committed.poll(Duration.ofMillis(200)).forEach(r -> restore(l, r));
      }
    }
    LOG.info("rebuilt partitions {} of {} and {} in {} ms: {} products, {} decisions", partitions, config.stockTopic(),
        config.decisionsTopic(), (System.nanoTime() - t0) / 1_000_000, l.products().size(), l.decisionCount());
  }

  private KafkaConsumer<String, String> consumer(String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(p);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-rebuild");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
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
    return records(o, null);
  }

  /**
   * @param partition the partition number of the request (the product's): both records go there;
   *     null lets the producer's partitioner pick (the key's partition)
   */
  List<ProducerRecord<String, String>> records(StockLedger.Outcome o, Integer partition) {
    List<ProducerRecord<String, String>> out = new ArrayList<>(2);
    if (o.duplicate()) {
      return out;
    }
    if (o.changedProduct() != null) {
      out.add(stockRecord(o.changedProduct(), partition));
    }
    Decision d = o.decision();
    if (o.stored()) {
      out.add(new ProducerRecord<>(config.decisionsTopic(), partition, d.requestId(), d.toJson().encode()));
    }
    return out;
  }

  /** Writes the catalogue to the stock topic in a transaction of its own, and into the ledger once committed. */
  void seed(StockLedger ledger, Producer<String, String> producer, List<Product> catalogue) {
    seed(ledger, producer, catalogue, () -> {});
  }

  /** @param beforeCommit runs inside the transaction before its commit (the owner adds its offsets: fenced by the group) */
  void seed(StockLedger ledger, Producer<String, String> producer, List<Product> catalogue, Runnable beforeCommit) {
    ledger.begin();
    try {
      producer.beginTransaction();
      for (Product p : catalogue) {
        ledger.put(p);
        producer.send(stockRecord(p, null));
      }
      beforeCommit.run();
      producer.commitTransaction();
      ledger.commit();
    } catch (RuntimeException e) {
      ledger.rollback();
      throw e;
    }
    LOG.info("seeded {} with {} products", config.stockTopic(), catalogue.size());
  }

  private ProducerRecord<String, String> stockRecord(Product p, Integer partition) {
    return new ProducerRecord<>(config.stockTopic(), partition, p.productId(), p.toJson().encode());
  }
}
