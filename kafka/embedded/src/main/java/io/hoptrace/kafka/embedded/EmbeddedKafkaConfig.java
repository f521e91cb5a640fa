package io.hoptrace.kafka.embedded;

import io.hoptrace.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the embedded broker.
 *
 * @param dataDir holds the KRaft log dirs, the generated server.properties and broker.log; survives restarts
 * @param host the address both listeners bind to (loopback by default)
 * @param port the client (PLAINTEXT) listener
 * @param controllerPort the KRaft controller listener
 * @param partitions default partition count for topics created without one
 * @param maxHeap the broker JVM's -Xmx
 * @param startTimeout how long to wait for the broker to accept clients
 */
public record EmbeddedKafkaConfig(
    Path dataDir, String host, int port, int controllerPort, int partitions, String maxHeap, Duration startTimeout) {

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
