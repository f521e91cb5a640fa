package io.hoptrace.stack;

import io.hoptrace.kafka.embedded.EmbeddedKafka;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import java.util.List;

/** The embedded broker, or a check that the external one answers; then the project's topics. */
final class KafkaComponent implements Component {
  private final StackConfig config;
  private final Console console;
  private EmbeddedKafka kafka;

  KafkaComponent(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public void start() {
    if (config.externalKafka().isEmpty()) {
      kafka = EmbeddedKafka.start(config.embeddedKafka());
    }
    // against an external cluster this is also the reachability check: it fails naming the servers
    TopicSetup.Report report = TopicSetup.ensure(config.kafkaBootstrapServers(), Topics.all());
    console.detail("topics: " + report);
  }

  @Override
  public void stop() {
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Override
  public long pid() {
    return kafka == null ? -1 : kafka.pid();
  }

  @Override
  public boolean isAlive() {
    return kafka == null || kafka.isRunning();
  }

  @Override
  public List<PortClaim> ports() {
    if (config.externalKafka().isPresent()) {
      return List.of();
    }
    return List.of(
        new PortClaim(config.embeddedKafka().port(), "Kafka", "HOPTRACE_KAFKA_PORT"),
        new PortClaim(config.embeddedKafka().controllerPort(), "Kafka controller", "HOPTRACE_KAFKA_CONTROLLER_PORT"));
  }

  @Override
  public List<String> addresses() {
    return List.of("Kafka bootstrap  " + config.kafkaBootstrapServers()
        + (kafka == null ? "  (external)" : "  (embedded, data in " + config.embeddedKafka().dataDir() + ")"));
  }
}
