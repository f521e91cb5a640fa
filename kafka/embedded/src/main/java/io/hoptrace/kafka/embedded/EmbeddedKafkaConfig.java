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
 */
public record EmbeddedKafkaConfig(
    Path dataDir, String host, int port, int controllerPort, int partitions, String maxHeap, Duration startTimeout,
    Optional<SaslSsl> saslSsl) {

  public EmbeddedKafkaConfig(Path dataDir, String host, int port, int controllerPort, int partitions, String maxHeap, Duration startTimeout) {
    this(dataDir, host, port, controllerPort, partitions, maxHeap, startTimeout, Optional.empty());
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
    return new EmbeddedKafkaConfig(dataDir, host, port, controllerPort, partitions, maxHeap, startTimeout, Optional.of(listener));
  }

  public EmbeddedKafkaConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    if (port == controllerPort) {
      throw new IllegalArgumentException("Kafka port and controller port must differ, both are " + port);
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

  public String bootstrapServers() {
    return host + ":" + port;
  }
}
