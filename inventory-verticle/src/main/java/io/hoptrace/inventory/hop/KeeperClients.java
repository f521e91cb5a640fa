package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.InventoryConfig;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The stock keeper's two Kafka clients: a transactional producer and a {@code read_committed}
 * consumer of the requests in the consumer group, whose offsets only ever commit inside the
 * producer's transactions (ADR 001).
 */
final class KeeperClients {
  private KeeperClients() {}

  static KafkaProducer<String, String> transactionalProducer(InventoryConfig config) {
    return new KafkaProducer<>(producerProperties(config), new StringSerializer(), new StringSerializer());
  }

  static KafkaConsumer<String, String> requestsConsumer(InventoryConfig config) {
    return new KafkaConsumer<>(consumerProperties(config), new StringDeserializer(), new StringDeserializer());
  }

  static Properties producerProperties(InventoryConfig config) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(p);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    // acks=all, idempotence, a short retry back-off (CONCURRENT_TRANSACTIONS after each commit)
    io.hoptrace.kafka.TransactionalProducerSettings.applyTo(p);
    // a transaction's records are handed over together once its batch is decided (TransactionOutbox):
    // the batch is formed already, waiting for more would only delay the commit (ADR 016)
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
    return p;
  }

  static Properties consumerProperties(InventoryConfig config) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(p);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
    // ends with the pid: ./stack status attributes a group member to its process by it
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-requests-" + ProcessHandle.current().pid());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    // the range assignor gives each member the same partition numbers of the requests and the restocks
    // (same partition counts): one owner per product (ADR 001)
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, org.apache.kafka.clients.consumer.RangeAssignor.class.getName());
    // static membership, one member id per instance: a restarted instance (even after kill -9) takes
    // its partitions back at once instead of waiting for the dead member's session to expire
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.transactionalId());
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    return p;
  }
}
