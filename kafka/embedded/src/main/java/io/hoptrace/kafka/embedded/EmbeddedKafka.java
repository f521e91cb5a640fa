package io.hoptrace.kafka.embedded;

import io.hoptrace.process.ChildJvm;
import io.hoptrace.process.ChildProcess;
import io.hoptrace.process.Poll;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft broker (broker and controller in one process) in its own JVM. Formats
 * its log dir on first start, keeps data across restarts, and is ready when a client can describe
 * the cluster. Used alike by {@code ./stack up} and the tests.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final String CLASSPATH_RESOURCE = "/io/hoptrace/kafka/embedded/broker.classpath";

  private final EmbeddedKafkaConfig config;
  private volatile ChildProcess broker;

  private EmbeddedKafka(EmbeddedKafkaConfig config) {
    this.config = config;
  }

  /** Starts the broker and returns once it accepts clients; throws with the broker's last log lines otherwise. */
  public static EmbeddedKafka start(EmbeddedKafkaConfig config) {
    EmbeddedKafka kafka = new EmbeddedKafka(config);
    kafka.startBroker();
    return kafka;
  }

  public EmbeddedKafkaConfig config() {
    return config;
  }

  public String bootstrapServers() {
    return config.bootstrapServers();
  }

  public long pid() {
    return broker.pid();
  }

  public boolean isRunning() {
    return broker != null && broker.isAlive();
  }

  /** Clean shutdown (SIGTERM, then SIGKILL after 30 s). */
  public void stop() {
    if (broker != null) {
      broker.stop(Duration.ofSeconds(30));
    }
  }

  /** {@code kill -9}: what a crash looks like. */
  public void kill() {
    if (broker != null) {
      broker.kill();
    }
  }

  /** Starts the broker again on the same ports and data after {@link #stop} or {@link #kill}. */
  public void restart() {
    stop();
    startBroker();
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void startBroker() {
    Ports.requireFree(config.host(), config.port(), "Kafka", "HOPTRACE_KAFKA_PORT");
    Ports.requireFree(config.host(), config.controllerPort(), "Kafka controller", "HOPTRACE_KAFKA_CONTROLLER_PORT");
    try {
      Files.createDirectories(config.dataDir());
      Path props = config.dataDir().resolve("server.properties");
      Files.writeString(props, serverProperties(), StandardCharsets.UTF_8);
      Path logback = config.dataDir().resolve("logback.xml");
      Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
      if (!Files.exists(logDir().resolve("meta.properties"))) {
        format(props, logback);
      }
      broker = jvm("kafka", "kafka.Kafka", List.of(props.toString()), logback).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare Kafka data folder " + config.dataDir() + ": " + e.getMessage(), e);
    }
    awaitReady();
  }

  private void format(Path props, Path logback) {
    ChildProcess fmt = jvm("kafka-storage-format", "kafka.tools.StorageTool",
        List.of("format", "-t", Uuid.randomUuid().toString(), "-c", props.toString(), "--ignore-formatted"), logback).start();
    try {
      Poll.until("Kafka log dir format", Duration.ofSeconds(90), Duration.ofMillis(100), () -> !fmt.isAlive());
    } catch (Poll.TimeoutException e) {
      fmt.kill();
      throw new IllegalStateException("formatting the Kafka log dir " + logDir() + " did not finish:\n" + fmt.tail(20), e);
    }
    if (fmt.stop(Duration.ZERO) != 0) {
      throw new IllegalStateException("formatting the Kafka log dir " + logDir() + " failed:\n" + fmt.tail(20));
    }
  }

  private void awaitReady() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    config.saslSsl().ifPresent(l -> p.putAll(l.clientProperties()));
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    try (Admin admin = Admin.create(p)) {
      Poll.until("Kafka at " + config.bootstrapServers(), config.startTimeout(), Duration.ofMillis(200), () -> {
        if (!broker.isAlive()) {
          throw new BrokerDiedException();
        }
        return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get(3, TimeUnit.SECONDS).isEmpty();
      });
    } catch (Poll.TimeoutException e) {
      String why = e.getCause() instanceof BrokerDiedException ? "the broker process exited" : e.getMessage();
      broker.stop(Duration.ofSeconds(5));
      throw new IllegalStateException("Kafka did not start (" + why + "). Last lines of " + broker.logFile() + ":\n" + broker.tail(30), e);
    }
  }

  private ChildJvm jvm(String name, String mainClass, List<String> args, Path logback) {
    return ChildJvm.builder(name)
        .classpath(brokerClasspath())
        .mainClass(mainClass)
        .jvmArg("-Xmx" + config.maxHeap())
        .jvmArg("-Xms64m")
        .jvmArg("-XX:+UseG1GC")
        .jvmArg("-XX:MaxGCPauseMillis=20")
        .jvmArg("-Djava.awt.headless=true")
        .jvmArg("-Dlogback.configurationFile=" + logback)
        .args(args)
        .logFile(config.dataDir().resolve("broker.log"))
        .build();
  }

  private Path logDir() {
    return config.dataDir().resolve("logs");
  }

  private String serverProperties() {
    String h = config.host();
    String client = config.saslSsl().isPresent() ? "SASL_SSL" : "PLAINTEXT";
    return String.join("\n",
        "# written by hoptrace EmbeddedKafka at every start; edit EmbeddedKafka.java instead",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + h + ":" + config.controllerPort(),
        "listeners=" + client + "://" + h + ":" + config.port() + ",CONTROLLER://" + h + ":" + config.controllerPort(),
        "advertised.listeners=" + client + "://" + h + ":" + config.port(),
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=" + client,
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT," + client + ":" + client,
        saslSslProperties(),
        "log.dirs=" + logDir().toAbsolutePath(),
        "num.partitions=" + config.partitions(),
        "default.replication.factor=1",
        "min.insync.replicas=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=5",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=5",
        "share.coordinator.state.topic.replication.factor=1",
        "group.initial.rebalance.delay.ms=0",
        // topics are created deliberately (TopicSetup), never by a typo in a producer
        "auto.create.topics.enable=false",
        // the broker-wide cap; telemetry topics set their own max.message.bytes below it
        "message.max.bytes=" + (Topics.TELEMETRY_MAX_MESSAGE_BYTES + 1024 * 1024),
        "replica.fetch.max.bytes=" + (Topics.TELEMETRY_MAX_MESSAGE_BYTES + 1024 * 1024),
        "log.retention.hours=168",
        "log.cleaner.backoff.ms=5000",
        "num.network.threads=2",
        "num.io.threads=4",
        "") ;
  }

  /**
   * The SASL_SSL listener's settings (empty for PLAINTEXT): TLS with the key store, SASL PLAIN with
   * one user; the broker reaches itself (transaction markers) through it as that user, trusting the
   * CA of the same key store.
   */
  private String saslSslProperties() {
    if (config.saslSsl().isEmpty()) {
      return "# client listener: PLAINTEXT";
    }
    EmbeddedKafkaConfig.SaslSsl l = config.saslSsl().get();
    return String.join("\n",
        "sasl.enabled.mechanisms=PLAIN",
        "sasl.mechanism.inter.broker.protocol=PLAIN",
        "listener.name.sasl_ssl.plain.sasl.jaas.config=" + l.jaas(),
        "ssl.keystore.location=" + l.keyStore().toAbsolutePath(),
        "ssl.keystore.password=" + l.keyStorePassword(),
        "ssl.key.password=" + l.keyStorePassword(),
        "ssl.keystore.type=PKCS12",
        "ssl.truststore.location=" + l.keyStore().toAbsolutePath(),
        "ssl.truststore.password=" + l.keyStorePassword(),
        "ssl.truststore.type=PKCS12");
  }

  /** The broker's class path (kafka_2.13 and its dependencies), written at build time by Maven. */
  static List<String> brokerClasspath() {
    try (InputStream in = EmbeddedKafka.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + CLASSPATH_RESOURCE + " is missing: build the kafka module with Maven (./stack builds it)");
      }
      String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      List<String> entries = Arrays.asList(cp.split(java.io.File.pathSeparator));
      for (String entry : entries) {
        if (!Files.exists(Path.of(entry))) {
          throw new IllegalStateException("Kafka broker jar " + entry + " is missing: run the build again (./stack builds it)");
        }
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String LOGBACK = String.join("\n",
      "<configuration>",
      "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
      "    <encoder><pattern>%d{ISO8601} %-5level [%logger{20}] %msg%n</pattern></encoder>",
      "  </appender>",
      "  <logger name=\"kafka.request.logger\" level=\"WARN\"/>",
      "  <logger name=\"state.change.logger\" level=\"WARN\"/>",
      "  <logger name=\"kafka.log.LogCleaner\" level=\"WARN\"/>",
      "  <logger name=\"org.apache.kafka.clients\" level=\"WARN\"/>",
      "  <root level=\"INFO\"><appender-ref ref=\"OUT\"/></root>",
      "</configuration>",
      "");

  private static final class BrokerDiedException extends Exception {
    private static final long serialVersionUID = 1L;
  }
}
