package io.hoptrace.kafka.embedded;

import io.hoptrace.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the embedded broker.
 *
 * @param dataDir holds the KRaft log dirs, the generated server.properties and broker.log; survives restarts
 * @param host the address both listeners bind to (loopback by default)
 * @param port the client listener (PLAINTEXT, or SASL_SSL)
 * @param controllerPort the KRaft controller listener
 * @param partitions default partition count for topics created without one
 * @param maxHeap the broker JVM's -Xmx
 * @param startTimeout how long to wait for the broker to accept clients
 * @param saslSsl when present, the client listener speaks SASL_SSL (PLAIN) instead of PLAINTEXT
 * @param otherNodes the ports of nodes 2, 3... of a cluster of several brokers on this machine (empty: one broker).
 *     Every node is broker and KRaft controller ({@code HOPTRACE_KAFKA_BROKERS})
 */
public record EmbeddedKafkaConfig(
    Path dataDir, String host, int port, int controllerPort, int partitions, String maxHeap, Duration startTimeout,
    Optional<SaslSsl> saslSsl, java.util.List<Node> otherNodes) {

  public EmbeddedKafkaConfig(Path dataDir, String host, int port, int controllerPort, int partitions, String maxHeap, Duration startTimeout) {
    this(dataDir, host, port, controllerPort, partitions, maxHeap, startTimeout, Optional.empty(), java.util.List.of());
  }

  public EmbeddedKafkaConfig(Path dataDir, String host, int port, int controllerPort, int partitions, String maxHeap, Duration startTimeout,
      Optional<SaslSsl> saslSsl) {
    this(dataDir, host, port, controllerPort, partitions, maxHeap, startTimeout, saslSsl, java.util.List.of());
  }

  /** The client and controller port of one more node (node ids 2, 3... in list order). */
  public record Node(int port, int controllerPort) {}

  /** Every node, node 1 (this config's own ports) first. */
  public java.util.List<Node> nodes() {
    java.util.List<Node> all = new java.util.ArrayList<>();
    all.add(new Node(port, controllerPort));
    all.addAll(otherNodes);
    return all;
  }

  public int brokers() {
    return 1 + otherNodes.size();
  }

  /** The same cluster with these further nodes (a Kafka of {@code 1 + others.size()} brokers). */
  public EmbeddedKafkaConfig withOtherNodes(java.util.List<Node> others) {
    return new EmbeddedKafkaConfig(dataDir, host, port, controllerPort, partitions, maxHeap, startTimeout, saslSsl, others);
  }

  /**
   * A SASL_SSL client listener: TLS with the certificate of a PKCS12 key store (which must also hold
   * the CA as a trusted entry: the broker connects to itself through this listener), SASL PLAIN with
   * one user, which the broker also uses for itself.
   *
   * @param keyStore PKCS12 with the broker's key and certificate chain, and its CA
   * @param keyStorePassword of the key store and its key
   * @param user the one SASL user
   * @param password its password
   */
  public record SaslSsl(Path keyStore, String keyStorePassword, String user, String password) {
    /** The client settings that reach this listener (trusting the key store's CA). */
    public java.util.Map<String, String> clientProperties() {
      return java.util.Map.of(
          "security.protocol", "SASL_SSL",
          "sasl.mechanism", "PLAIN",
          "sasl.jaas.config", jaas(),
          "ssl.truststore.location", keyStore.toString(),
          "ssl.truststore.password", keyStorePassword,
          "ssl.truststore.type", "PKCS12");
    }

    String jaas() {
      return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\"" + password
          + "\" user_" + user + "=\"" + password + "\";";
    }
  }

  /** The same broker with a SASL_SSL client listener. */
  public EmbeddedKafkaConfig withSaslSsl(SaslSsl listener) {
    return new EmbeddedKafkaConfig(dataDir, host, port, controllerPort, partitions, maxHeap, startTimeout, Optional.of(listener), otherNodes);
  }

  public EmbeddedKafkaConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    otherNodes = java.util.List.copyOf(otherNodes);
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    seen.add(port);
    if (!seen.add(controllerPort)) {
      throw new IllegalArgumentException("Kafka port and controller port must differ, both are " + port);
    }
    for (Node n : otherNodes) {
      if (!seen.add(n.port()) || !seen.add(n.controllerPort())) {
        throw new IllegalArgumentException("every Kafka node needs ports of its own: " + n + " repeats one of " + seen);
      }
    }
  }

  /** From {@code HOPTRACE_KAFKA_PORT} (9092), {@code HOPTRACE_KAFKA_CONTROLLER_PORT} (9093), {@code HOPTRACE_DATA_DIR}/kafka. */
  public static EmbeddedKafkaConfig fromEnv(Env env, Path dataRoot) {
    return new EmbeddedKafkaConfig(
        dataRoot.resolve("kafka"),
        "127.0.0.1",
        env.port("HOPTRACE_KAFKA_PORT", 9092),
        env.port("HOPTRACE_KAFKA_CONTROLLER_PORT", 9093),
        3,
        env.string("HOPTRACE_KAFKA_HEAP", "512m"),
        Duration.ofSeconds(90));
  }

  /** For tests: a private data folder and free ports. */
  public static EmbeddedKafkaConfig forTests(Path dataDir, int port, int controllerPort) {
    return new EmbeddedKafkaConfig(dataDir, "127.0.0.1", port, controllerPort, 3, "512m", Duration.ofSeconds(90));
  }

  /** Every node's client address, node 1 first. */
  public String bootstrapServers() {
    return String.join(",", nodes().stream().map(n -> host + ":" + n.port()).toList());
  }
}
