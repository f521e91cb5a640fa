package io.hoptrace.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.collector.GrpcCall;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.telemetry.Telemetry;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.hoptrace.testsupport.tls.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both OTLP ports over TLS (a certificate the test makes with keytool) with a bearer token read from a
 * file: without the token or with a wrong one, HTTP 401 / gRPC UNAUTHENTICATED and not one record in
 * Kafka; with it, accepted; the OpenTelemetry SDK sends it the way the services do
 * ({@code OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>}, {@code OTEL_EXPORTER_OTLP_CERTIFICATE}),
 * and so do the collector's own metrics.
 */
@ExtendWith(RealInfrastructure.class)
class SecuredReceiverTest {
  static final String TOKEN = "t0k3n-for-otlp";
  static TestCollector collector;
  static TestCertificates certificates;
  static HttpClient https;
  static Vertx vertx;
  @TempDir static Path dir;

  @BeforeAll
  static void start(Infrastructure infra) throws Exception {
    certificates = TestCertificates.create(dir);
    TestCertificates.ServerPem pem = certificates.serverPem();
    Path tokenFile = Files.writeString(dir.resolve("otlp-token"), TOKEN + "\n");
    collector = TestCollector.on(infra, "secured")
        .with("COLLECTOR_AUTH_TOKEN_FILE", tokenFile.toString())
        .with("COLLECTOR_TLS_CERT_FILE", pem.certChain().toString())
        .with("COLLECTOR_TLS_KEY_FILE", pem.privateKey().toString())
        .with("COLLECTOR_SELF_METRICS_INTERVAL", "1s");
    collector.createTopics();
    collector.start();
    https = HttpClient.newBuilder().sslContext(certificates.clientContext()).build();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (collector != null) {
      collector.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  @Test
  void withoutTheTokenOrWithAWrongOneNothingIsWrittenToKafka() throws Exception {
    byte[] spans = Otlp.traces("intruder", 77, 1, 1).toByteArray();
    Map<TopicPartition, Long> before = endOffsets();

    HttpResponse<String> none = post("/v1/traces", "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(new JsonObject(none.body()).getString("message")).contains("bearer token");
    assertThat(post("/v1/traces", "application/x-protobuf", spans, "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(post("/v1/traces", "application/x-protobuf", spans, "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(post("/v1/traces", "application/x-protobuf", spans, "Basic " + TOKEN).statusCode()).isEqualTo(401);
    assertThat(GrpcCall.exportTls(vertx, certificates.caPem(), collector.grpcPort(), Signal.TRACES, spans, null).status())
        .isEqualTo(GrpcStatus.UNAUTHENTICATED);
    assertThat(GrpcCall.exportTls(vertx, certificates.caPem(), collector.grpcPort(), Signal.TRACES, spans, "Bearer wrong").status())
        .isEqualTo(GrpcStatus.UNAUTHENTICATED);
    // refusals are answered before anything is handed to Kafka: the end offsets did not move
    assertThat(endOffsets()).isEqualTo(before);

    // the same bytes with the token are accepted on both ports, and only then does the topic grow
    assertThat(post("/v1/traces", "application/x-protobuf", spans, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    assertThat(GrpcCall.exportTls(vertx, certificates.caPem(), collector.grpcPort(), Signal.TRACES, spans, "bearer " + TOKEN).status())
        .isEqualTo(GrpcStatus.OK);
    Map<TopicPartition, Long> after = endOffsets();
    long added = after.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
    assertThat(added).isEqualTo(2);
  }

  @Test
  void plainHttpToTheTlsPortAndAnUntrustedCertificateFail() {
    HttpClient plain = HttpClient.newHttpClient();
    assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.env.get("COLLECTOR_OTLP_HTTP_PORT")
        + "/v1/traces")).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
    assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(httpsUrl() + "/v1/traces")).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void theSdkSendsTheTokenFromOtelExporterOtlpHeadersOverHttpsAndGrpc() {
    for (String protocol : List.of("http/protobuf", "grpc")) {
      String port = collector.env.get(protocol.equals("grpc") ? "COLLECTOR_OTLP_GRPC_PORT" : "COLLECTOR_OTLP_HTTP_PORT");
      Telemetry t = Telemetry.builder("secured-" + protocol.replace('/', '-'))
          .override("otel.exporter.otlp.protocol", protocol)
          .override("otel.exporter.otlp.endpoint", "https://127.0.0.1:" + port)
          // exactly what OTEL_EXPORTER_OTLP_HEADERS holds: percent-encoded, as the SDK's docs say
          .override("otel.exporter.otlp.headers", "Authorization=Bearer%20" + TOKEN)
          .override("otel.exporter.otlp.certificate", certificates.caPem().toString())
          .override("otel.metrics.exporter", "none")
          .override("otel.logs.exporter", "none")
          .installLogback(false).runtimeMetrics(false)
          .build();
      String traceId;
      try {
        var span = t.tracer().spanBuilder("authorised " + protocol).startSpan();
        traceId = span.getSpanContext().getTraceId();
        span.end();
      } finally {
        t.close(Duration.ofSeconds(20));
      }
      collector.await("SELECT count() FROM otel_traces WHERE TraceId = '" + traceId + "'", 1, Duration.ofSeconds(60));
    }
  }

  @Test
  void theCollectorsOwnMetricsCarryTheTokenOverTls() {
    // self-metrics go to this collector's own receiver: https, the token, its certificate trusted
    collector.await("SELECT count() > 0 FROM otel_metrics_sum WHERE ServiceName = 'collector'"
        + " AND MetricName = 'hoptrace.collector.receiver.accepted'", 1, Duration.ofSeconds(60));
  }

  static String httpsUrl() {
    return "https://127.0.0.1:" + collector.env.get("COLLECTOR_OTLP_HTTP_PORT");
  }

  static HttpResponse<String> post(String path, String contentType, byte[] body, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpsUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** End offset of every partition of the three telemetry topics and their dead-letter topics. */
  static Map<TopicPartition, Long> endOffsets() throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, collector.kafka);
    try (Admin admin = Admin.create(p)) {
      List<String> topics = List.of(collector.topic(Signal.TRACES), collector.topic(Signal.LOGS),
          io.hoptrace.kafka.Topics.deadLetter(collector.topic(Signal.TRACES)), io.hoptrace.kafka.Topics.deadLetter(collector.topic(Signal.LOGS)));
      Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get().values().stream()
          .flatMap(d -> d.partitions().stream().map(pi -> new TopicPartition(d.name(), pi.partition())))
          .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }
}
