package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.config.Env;
import io.hoptrace.launcher.LaunchConfig;
import io.hoptrace.launcher.Progress;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.json.Json;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.tls.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system against a broker that only speaks SASL_SSL (the embedded broker with a certificate
 * the test makes and one SASL PLAIN user): every process gets the same {@code HOPTRACE_KAFKA_*}
 * settings, an order goes through both Kafka hops, its trace through the collector's receiver and
 * ingester into ClickHouse, and {@code ./stack replay} re-delivers it; a client without the settings
 * does not get in.
 */
class SaslSslStackTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path data;

  @Test
  void anOrderRunsEndToEndThroughASaslSslBroker() throws Exception {
    TestCertificates certificates = TestCertificates.create(Files.createDirectories(data.resolve("certs")));
    Map<String, String> env = new HashMap<>(Map.of(
        "COLLECTOR_SELF_METRICS_INTERVAL", "0",
        "HOPTRACE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "HOPTRACE_KAFKA_SASL_USERNAME", "hoptrace",
        "HOPTRACE_KAFKA_SASL_PASSWORD", "kafka s3cret",
        "HOPTRACE_KAFKA_SSL_CA_FILE", certificates.caPem().toString(),
        "HOPTRACE_KAFKA_BROKER_KEYSTORE", certificates.serverKeyStore().toString(),
        "HOPTRACE_KAFKA_BROKER_KEYSTORE_PASSWORD", certificates.password()));
    LaunchConfig config = LaunchConfig.privateStack(TestStacks.repoRoot(), data.resolve("stack"), Env.of(env));
    try (Stack stack = new Stack(config, Progress.SILENT)) {
      stack.start(Stack.SYSTEM);
      String kafka = stack.kafka().bootstrapServers();
      for (Role r : List.of(Role.COLLECTOR, Role.INVENTORY, Role.ORDER)) {
        assertThat(stack.jvm(r).env()).as(r.id()).containsEntry("HOPTRACE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
            .containsEntry("HOPTRACE_KAFKA_SSL_CA_FILE", certificates.caPem().toString());
      }
      assertThat(Files.readString(data.resolve("stack/kafka/server.properties")))
          .contains("listeners=SASL_SSL://127.0.0.1:").doesNotContain("PLAINTEXT://127.0.0.1:" + kafka.split(":")[1]);

      // a client without TLS and SASL gets no answer from the broker
      Properties plain = new Properties();
      plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
      try (Admin admin = Admin.create(plain)) {
        assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000)).nodes().get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
      }

      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.jvm(Role.ORDER).url() + "/order-product"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"keyboard\", \"quantity\": 1}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(r.body()).contains("CONFIRMED");
      String traceId = Json.object(r.body()).string("traceId");
      List<String> spans = new ArrayList<>();
      Poll.until("five spans of trace " + traceId + " in otel_traces", Duration.ofSeconds(60), Duration.ofMillis(300), () -> {
        spans.clear();
        spans.addAll(GrpcExportTraceTest.spans(stack.clickHouse().settings(), traceId));
        return spans.size() >= 5;
      });
      assertThat(spans).hasSize(5);

      // ./stack replay, in this JVM, with the same variables: re-delivered and processed by inventory over SASL_SSL
      Map<String, String> cli = new HashMap<>(env);
      cli.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
      Cli.Result replay = Cli.run(cli, "replay", "stock-reductions", "--from", "earliest", "--wait", "60s");
      assertThat(replay.exit()).as(replay.out() + replay.err()).isEqualTo(0);
      assertThat(replay.out()).contains("processed by every consumer group of stock-reductions");
    }
  }
}
