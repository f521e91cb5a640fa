package io.hoptrace.launcher;

import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.kafka.embedded.EmbeddedKafka;
import io.hoptrace.kafka.embedded.EmbeddedKafkaConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The embedded Kafka (a KRaft broker in its own JVM, data in {@code <data>/kafka}; with
 * {@code HOPTRACE_KAFKA_BROKERS=3} a cluster of three such nodes), or an external cluster it only
 * checks. Its first start also sets up the project's topics, replicated as the cluster allows
 * ({@code HOPTRACE_KAFKA_REPLICATION_FACTOR}, {@code HOPTRACE_KAFKA_MIN_INSYNC_REPLICAS}).
 */
public final class KafkaInstance implements Instance {
  private final InstanceId id;
  private final Optional<String> external;
  private final EmbeddedKafkaConfig embedded;
  private final Progress progress;
  private final io.hoptrace.kafka.KafkaClientSecurity security;
  private volatile EmbeddedKafka broker;
  private final io.hoptrace.kafka.TopicReplication replication;
  private boolean topicsReady;

  /** {@code HOPTRACE_KAFKA_BROKERS}: brokers of the embedded Kafka (1; up to 5, each a JVM with the Kafka heap). */
  public static final String BROKERS_VARIABLE = "HOPTRACE_KAFKA_BROKERS";

  KafkaInstance(InstanceId id, LaunchConfig config, Progress progress) {
    this.id = id;
    this.external = config.externalKafka();
    this.progress = progress;
    this.security = io.hoptrace.kafka.KafkaClientSecurity.fromEnv(config.env());
    this.embedded = new EmbeddedKafkaConfig(config.dataDir().resolve(id.name()), "127.0.0.1",
        config.ports().port(id, Port.KAFKA), config.ports().port(id, Port.KAFKA_CONTROLLER), 3,
        config.env().string("HOPTRACE_KAFKA_HEAP", "512m"), Duration.ofSeconds(90), saslSsl(config, security))
        .withOtherNodes(otherNodes(id, config));
    // the embedded cluster's size is ours to know: asking a node for it right after the start could
    // count a broker short and create every topic with fewer copies
    io.hoptrace.kafka.TopicReplication asked = io.hoptrace.kafka.TopicReplication.fromEnv(config.env());
    this.replication = external.isPresent() ? asked : asked.orFactor(Math.min(3, embedded.brokers()));
  }

  /** Nodes 2.. of a cluster of {@code HOPTRACE_KAFKA_BROKERS}: free ports (node 1 has the contract's). */
  private static List<EmbeddedKafkaConfig.Node> otherNodes(InstanceId id, LaunchConfig config) {
    int brokers = config.env().integer(BROKERS_VARIABLE, 1, 1, 5);
    List<EmbeddedKafkaConfig.Node> nodes = new java.util.ArrayList<>();
    for (int k = 2; k <= brokers; k++) {
      InstanceId node = new InstanceId(id.role(), id.index() * 100 + k); // a key of its own in the port plan
      nodes.add(new EmbeddedKafkaConfig.Node(config.ports().port(node, Port.KAFKA), config.ports().port(node, Port.KAFKA_CONTROLLER)));
    }
    return nodes;
  }

  /** Brokers of the embedded cluster (1 for an external one: it is not ours to count). */
  public int brokers() {
    return external.isPresent() ? 1 : embedded.brokers();
  }

  /** The embedded Kafka, for a fault that kills one node of several; empty before its start or when external. */
  public Optional<EmbeddedKafka> embedded() {
    return Optional.ofNullable(broker);
  }

  /**
   * {@code HOPTRACE_KAFKA_BROKER_KEYSTORE} (PKCS12, with its CA) and {@code _PASSWORD}: the embedded
   * broker's client listener speaks SASL_SSL with that certificate and accepts the clients' own user
   * ({@code HOPTRACE_KAFKA_SASL_USERNAME} / {@code _PASSWORD}, mechanism PLAIN), so that every process
   * of the stack goes through TLS and SASL as against a managed Kafka.
   */
  static Optional<EmbeddedKafkaConfig.SaslSsl> saslSsl(LaunchConfig config, io.hoptrace.kafka.KafkaClientSecurity security) {
    Optional<String> keyStore = config.env().optional("HOPTRACE_KAFKA_BROKER_KEYSTORE");
    if (keyStore.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> user = config.env().optional("HOPTRACE_KAFKA_SASL_USERNAME");
    Optional<String> password = config.env().secret("HOPTRACE_KAFKA_SASL_PASSWORD");
    if (!security.protocol().equals("SASL_SSL") || user.isEmpty() || password.isEmpty()
        || !security.properties().getOrDefault("sasl.mechanism", "PLAIN").equals("PLAIN")) {
      throw new io.hoptrace.config.Env.ConfigException("HOPTRACE_KAFKA_BROKER_KEYSTORE starts the embedded broker with SASL_SSL (PLAIN):"
          + " set HOPTRACE_KAFKA_SECURITY_PROTOCOL=SASL_SSL, HOPTRACE_KAFKA_SASL_USERNAME and HOPTRACE_KAFKA_SASL_PASSWORD for its clients");
    }
    return Optional.of(new EmbeddedKafkaConfig.SaslSsl(java.nio.file.Path.of(keyStore.get()),
        config.env().secret("HOPTRACE_KAFKA_BROKER_KEYSTORE_PASSWORD").orElse(""), user.get(), password.get()));
  }

  @Override
  public InstanceId id() {
    return id;
  }

  public String bootstrapServers() {
    return external.orElse(embedded.bootstrapServers());
  }

  /** How clients reach it: the launch environment's HOPTRACE_KAFKA_* settings (those the processes get). */
  public io.hoptrace.kafka.KafkaClientSecurity security() {
    return security;
  }

  public boolean isExternal() {
    return external.isPresent();
  }

  @Override
  public synchronized void start() {
    if (external.isEmpty()) {
      if (broker == null) {
        broker = EmbeddedKafka.start(embedded);
      } else {
        broker.restart();
      }
    }
    if (!topicsReady) {
      // against an external cluster this is also the reachability check: it fails naming the servers
      progress.detail("topics: " + TopicSetup.ensure(bootstrapServers(), security(), Topics.all(), replication));
      topicsReady = true;
    }
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Override
  public void kill() {
    if (broker != null) {
      broker.kill();
    }
  }

  @Override
  public boolean isAlive() {
    return external.isPresent() || broker != null && broker.isRunning();
  }

  @Override
  public boolean isHealthy() {
    try (Admin admin = TopicSetup.admin(bootstrapServers(), security())) {
      return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get(3, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public long pid() {
    return broker != null && broker.isRunning() ? broker.pid() : -1;
  }

  @Override
  public Map<Port, Integer> ports() {
    return external.isPresent() ? Map.of() : Map.of(Port.KAFKA, embedded.port(), Port.KAFKA_CONTROLLER, embedded.controllerPort());
  }

  @Override
  public List<String> addresses() {
    List<String> out = new java.util.ArrayList<>();
    out.add("Kafka bootstrap  " + bootstrapServers()
        + (external.isPresent() ? "  (external)" : "  (embedded" + (embedded.brokers() > 1 ? ", " + embedded.brokers() + " brokers" : "")
        + ", data in " + embedded.dataDir() + ")"));
    if (broker != null && embedded.brokers() > 1) {
      List<Long> pids = broker.pids();
      for (int k = 1; k <= pids.size(); k++) {
        out.add("  broker " + k + "       127.0.0.1:" + embedded.nodes().get(k - 1).port() + "  pid " + pids.get(k - 1));
      }
    }
    return out;
  }
}
