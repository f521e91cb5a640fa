package io.hoptrace.kafka;

import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * "Can we reach Kafka right now?" without blocking the caller: a describe-cluster call with a short
 * timeout, answered on the admin client's thread. For health endpoints.
 */
public final class KafkaProbe implements AutoCloseable {
  private final String bootstrapServers;
  private final int timeoutMs;
  private final Admin admin;

  /** Creates the admin client (resolves the bootstrap addresses): construct it off the event loop. */
  public KafkaProbe(String bootstrapServers, int timeoutMs) {
    this.bootstrapServers = bootstrapServers;
    this.timeoutMs = timeoutMs;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // TLS / SASL of this process (HOPTRACE_KAFKA_*), before the client's own settings
    io.hoptrace.kafka.KafkaClientSecurity.process().applyTo(p);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "health-probe");
    this.admin = Admin.create(p);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Completes with the number of brokers, or exceptionally with why Kafka cannot be reached. */
  public CompletionStage<Integer> brokers() {
    try {
      return admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
          .toCompletionStage().thenApply(nodes -> nodes.size());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(2));
  }
}
