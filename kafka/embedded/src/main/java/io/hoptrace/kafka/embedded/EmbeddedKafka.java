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
 * A real KRaft Kafka in JVMs of its own: one node (broker and controller in one process), or a
 * cluster of several such nodes on this machine ({@link EmbeddedKafkaConfig#otherNodes}), every node
 * a voter of the controller quorum. Formats the log dirs on first start (one cluster id for all),
 * keeps data across restarts, and is ready when every broker is registered with the cluster. Used
 * alike by {@code ./stack up} and the tests.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final String CLASSPATH_RESOURCE = "/io/hoptrace/kafka/embedded/broker.classpath";

  private final EmbeddedKafkaConfig config;
  private final ChildProcess[] nodes;
  /** Node 1's process: the one that decides readiness and is reported as the broker (a single-node Kafka). */
  private volatile ChildProcess broker;

  private EmbeddedKafka(EmbeddedKafkaConfig config) {
    this.config = config;
    this.nodes = new ChildProcess[config.brokers()];
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

  /** Each node's pid (node 1 first), -1 for a node that does not run. */
  public List<Long> pids() {
    return Arrays.stream(nodes).map(n -> n != null && n.isAlive() ? n.pid() : -1L).toList();
  }

  /** Every node runs. */
  public boolean isRunning() {
    return Arrays.stream(nodes).allMatch(n -> n != null && n.isAlive());
  }

  /** Clean shutdown of every node, last first (SIGTERM, then SIGKILL after 30 s). */
  public void stop() {
    for (int i = nodes.length - 1; i >= 0; i--) {
      if (nodes[i] != null) {
        nodes[i].stop(Duration.ofSeconds(30));
      }
    }
  }

  /** {@code kill -9} of every node: what a crash looks like. */
  public void kill() {
    for (ChildProcess n : nodes) {
      if (n != null) {
        n.kill();
      }
    }
  }

  /** {@code kill -9} of one node (1-based) of a cluster: the others keep serving. */
  public void killNode(int node) {
    ChildProcess n = nodes[node - 1];
    if (n != null) {
      n.kill();
    }
  }

  /** Starts node {@code node} (1-based) again on its ports and data; returns once every broker is registered again. */
  public synchronized void restartNode(int node) {
    if (nodes[node - 1] != null) {
      nodes[node - 1].stop(Duration.ofSeconds(30));
    }
    EmbeddedKafkaConfig.Node n = config.nodes().get(node - 1);
    String others = nodes.length == 1 ? config.bootstrapServers() : String.join(",", java.util.stream.IntStream
        .rangeClosed(1, nodes.length).filter(k -> k != node).mapToObj(k -> config.host() + ":" + config.nodes().get(k - 1).port()).toList());
    if (nodes.length > 1) {
      // a killed node stays registered until its session times out: wait for the cluster to see it gone,
      // or the check below would pass before the new process registered
      awaitMembers(others, ids -> !ids.contains(Integer.toString(node)), "node " + node + " fenced");
    }
    Ports.requireFree(config.host(), n.port(), "Kafka node " + node, "HOPTRACE_KAFKA_PORT");
    nodes[node - 1] = jvm(node, "kafka", "kafka.Kafka", List.of(nodeDir(node).resolve("server.properties").toString())).start();
    if (node == 1) {
      broker = nodes[0];
    }
    // asked through the other nodes: the restarted one answers from its own metadata log at first,
    // which still lists it as it was before it stopped
    awaitReady(others);
  }

  /** Polls the cluster's registered brokers (as {@code bootstrapServers} see them) until {@code done} holds. */
  private void awaitMembers(String bootstrapServers, java.util.function.Predicate<java.util.Set<String>> done, String what) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.saslSsl().ifPresent(l -> p.putAll(l.clientProperties()));
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    try (Admin admin = Admin.create(p)) {
      Poll.until(what, config.startTimeout(), Duration.ofMillis(200), () -> done.test(
          admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get(3, TimeUnit.SECONDS).stream()
              .map(org.apache.kafka.common.Node::idString).collect(java.util.stream.Collectors.toSet())));
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
    List<EmbeddedKafkaConfig.Node> all = config.nodes();
    for (int k = 1; k <= all.size(); k++) {
      String which = all.size() == 1 ? "" : " node " + k;
      Ports.requireFree(config.host(), all.get(k - 1).port(), "Kafka" + which, "HOPTRACE_KAFKA_PORT");
      Ports.requireFree(config.host(), all.get(k - 1).controllerPort(), "Kafka controller" + which, "HOPTRACE_KAFKA_CONTROLLER_PORT");
    }
    try {
      Files.createDirectories(config.dataDir());
      String clusterId = clusterId();
      for (int k = 1; k <= all.size(); k++) {
        Path dir = nodeDir(k);
        Files.createDirectories(dir);
        Path props = dir.resolve("server.properties");
        Files.writeString(props, serverProperties(k), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("logback.xml"), LOGBACK, StandardCharsets.UTF_8);
        if (!Files.exists(logDir(k).resolve("meta.properties"))) {
          format(k, props, clusterId);
        }
      }
      Files.writeString(config.dataDir().resolve(BROKERS_FILE), Integer.toString(all.size()), StandardCharsets.UTF_8);
      for (int k = 1; k <= all.size(); k++) {
        nodes[k - 1] = jvm(k, "kafka", "kafka.Kafka", List.of(nodeDir(k).resolve("server.properties").toString())).start();
      }
      broker = nodes[0];
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare Kafka data folder " + config.dataDir() + ": " + e.getMessage(), e);
    }
    awaitReady();
  }

  private static final String BROKERS_FILE = "brokers";

  /**
   * The cluster id of the data already there (node 1's), or a new one. A data folder formatted for
   * another number of brokers is refused: its quorum is written into the metadata log.
   */
  private String clusterId() throws IOException {
    Path meta = logDir(1).resolve("meta.properties");
    if (!Files.exists(meta)) {
      return Uuid.randomUuid().toString();
    }
    Path marker = config.dataDir().resolve(BROKERS_FILE);
    int formatted = Files.exists(marker) ? Integer.parseInt(Files.readString(marker).trim()) : 1;
    if (formatted != config.brokers()) {
      throw new IllegalStateException("the Kafka data in " + config.dataDir() + " belongs to a cluster of " + formatted
          + " broker(s), not " + config.brokers() + " (HOPTRACE_KAFKA_BROKERS): set it back to " + formatted
          + ", or wipe the data with ./stack reset");
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(meta)) {
      p.load(in);
    }
    return p.getProperty("cluster.id");
  }

  private void format(int node, Path props, String clusterId) {
    ChildProcess fmt = jvm(node, "kafka-storage-format", "kafka.tools.StorageTool",
        List.of("format", "-t", clusterId, "-c", props.toString(), "--ignore-formatted")).start();
    try {
      Poll.until("Kafka log dir format", Duration.ofSeconds(90), Duration.ofMillis(100), () -> !fmt.isAlive());
    } catch (Poll.TimeoutException e) {
      fmt.kill();
      throw new IllegalStateException("formatting the Kafka log dir " + logDir(node) + " did not finish:\n" + fmt.tail(20), e);
    }
    if (fmt.stop(Duration.ZERO) != 0) {
      throw new IllegalStateException("formatting the Kafka log dir " + logDir(node) + " failed:\n" + fmt.tail(20));
    }
  }

  private void awaitReady() {
    awaitReady(config.bootstrapServers());
  }

  private void awaitReady(String bootstrapServers) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.saslSsl().ifPresent(l -> p.putAll(l.clientProperties()));
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    try (Admin admin = Admin.create(p)) {
      Poll.until("Kafka at " + config.bootstrapServers(), config.startTimeout(), Duration.ofMillis(200), () -> {
        for (ChildProcess n : nodes) {
          if (!n.isAlive()) {
            throw new BrokerDiedException();
          }
        }
        return admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get(3, TimeUnit.SECONDS).size() >= nodes.length;
      });
    } catch (Poll.TimeoutException e) {
      String why = e.getCause() instanceof BrokerDiedException ? "a broker process exited" : e.getMessage();
      ChildProcess shown = Arrays.stream(nodes).filter(n -> !n.isAlive()).findFirst().orElse(broker);
      stop();
      throw new IllegalStateException("Kafka did not start (" + why + "). Last lines of " + shown.logFile() + ":\n" + shown.tail(30), e);
    }
  }

  private ChildJvm jvm(int node, String name, String mainClass, List<String> args) {
    return ChildJvm.builder(nodes.length == 1 ? name : name + "-" + node)
        .classpath(brokerClasspath())
        .mainClass(mainClass)
        .jvmArg("-Xmx" + config.maxHeap())
        .jvmArg("-Xms64m")
        .jvmArg("-XX:+UseG1GC")
        .jvmArg("-XX:MaxGCPauseMillis=20")
        .jvmArg("-Djava.awt.headless=true")
        .jvmArg("-Dlogback.configurationFile=" + nodeDir(node).resolve("logback.xml"))
        .args(args)
        .logFile(nodeDir(node).resolve("broker.log"))
        .build();
  }

  /** Node 1 keeps the folder a single broker always had; nodes 2, 3... live in {@code node-2}, {@code node-3}... below it. */
  private Path nodeDir(int node) {
    return node == 1 ? config.dataDir() : config.dataDir().resolve("node-" + node);
  }

  private Path logDir(int node) {
    return nodeDir(node).resolve("logs");
  }

  /**
   * One node's settings. Replication follows the cluster: internal topics and new topics get
   * min(3, brokers) replicas, and from three on min.insync.replicas=2 (a broker may fail without
   * refusing acks=all writes or losing acknowledged ones).
   */
  private String serverProperties(int node) {
    String h = config.host();
    String client = config.saslSsl().isPresent() ? "SASL_SSL" : "PLAINTEXT";
    List<EmbeddedKafkaConfig.Node> all = config.nodes();
    EmbeddedKafkaConfig.Node me = all.get(node - 1);
    String voters = String.join(",", java.util.stream.IntStream.rangeClosed(1, all.size())
        .mapToObj(k -> k + "@" + h + ":" + all.get(k - 1).controllerPort()).toList());
    int rf = Math.min(3, all.size());
    int minIsr = rf >= 3 ? 2 : 1;
    return String.join("\n",
        "# written by hoptrace EmbeddedKafka at every start; edit EmbeddedKafka.java instead",
        "process.roles=broker,controller",
        "node.id=" + node,
        "controller.quorum.voters=" + voters,
        "listeners=" + client + "://" + h + ":" + me.port() + ",CONTROLLER://" + h + ":" + me.controllerPort(),
        "advertised.listeners=" + client + "://" + h + ":" + me.port(),
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=" + client,
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT," + client + ":" + client,
        saslSslProperties(),
        "log.dirs=" + logDir(node).toAbsolutePath(),
        "num.partitions=" + config.partitions(),
        "default.replication.factor=" + rf,
        "min.insync.replicas=" + minIsr,
        "offsets.topic.replication.factor=" + rf,
        "offsets.topic.num.partitions=5",
        "transaction.state.log.replication.factor=" + rf,
        "transaction.state.log.min.isr=" + minIsr,
        "transaction.state.log.num.partitions=5",
        "share.coordinator.state.topic.replication.factor=" + rf,
        "share.coordinator.state.topic.min.isr=" + minIsr,
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
