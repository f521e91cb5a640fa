package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.config.Env;
import io.hoptrace.launcher.LaunchConfig;
import io.hoptrace.launcher.Port;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system with every switch of the secured setup on: OTLP over TLS (a certificate the test makes)
 * with a bearer token, the explorer behind basic authentication. The services, from their jars, send
 * the token through {@code OTEL_EXPORTER_OTLP_HEADERS} and trust the certificate through
 * {@code OTEL_EXPORTER_OTLP_CERTIFICATE}; an order's five-span trace lands in ClickHouse, and the
 * explorer shows it to whoever has the credentials only (its health stays open).
 */
class SecuredStackTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path data;

  @Test
  void anAuthorisedServicesTraceArrivesAndTheExplorerAsksForCredentials() throws Exception {
    TestCertificates certificates = TestCertificates.create(Files.createDirectories(data.resolve("certs")));
    TestCertificates.ServerPem pem = certificates.serverPem();
    LaunchConfig config = LaunchConfig.privateStack(TestStacks.repoRoot(), data, Env.of(Map.of(
        "COLLECTOR_SELF_METRICS_INTERVAL", "0",
        "COLLECTOR_AUTH_TOKEN", "otlp t0ken",
        "COLLECTOR_TLS_CERT_FILE", pem.certChain().toString(),
        "COLLECTOR_TLS_KEY_FILE", pem.privateKey().toString(),
        "COLLECTOR_QUERY_BASIC_AUTH", "ops:s3cret")));
    try (Stack stack = new Stack(config, Progress.SILENT)) {
      stack.start(Stack.SYSTEM);
      // the standard variables, as a user would set them for a service of their own
      assertThat(stack.jvm(Role.ORDER).env()).containsEntry("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20otlp%20t0ken")
          .containsEntry("OTEL_EXPORTER_OTLP_CERTIFICATE", pem.certChain().toString())
          .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", stack.receiver().local(Port.OTLP_HTTP).replace("http:", "https:"));

      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.jvm(Role.ORDER).url() + "/order-product"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"keyboard\", \"quantity\": 1}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      String traceId = Json.object(r.body()).string("traceId");
      List<String> spans = new ArrayList<>();
      Poll.until("five spans of trace " + traceId + " in otel_traces", Duration.ofSeconds(60), Duration.ofMillis(300), () -> {
        spans.clear();
        spans.addAll(GrpcExportTraceTest.spans(stack.clickHouse().settings(), traceId));
        return spans.size() >= 5;
      });
      assertThat(spans).hasSize(5);

      String explorer = stack.jvm(Role.COLLECTOR).local(Port.QUERY);
      assertThat(get(explorer + "/api/traces/" + traceId, null).statusCode()).isEqualTo(401);
      assertThat(get(explorer + "/", null).headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
      String basic = "Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8));
      assertThat(get(explorer + "/api/traces/" + traceId, basic).statusCode()).isEqualTo(200);
      assertThat(get(explorer + "/api/health", null).statusCode()).isEqualTo(200);
      // ./stack trace reads the API with the same variables
      Json.Obj trace = ExplorerClient.fromEnv(Env.of(Map.of("HOPTRACE_EXPLORER_URL", explorer, "COLLECTOR_QUERY_BASIC_AUTH", "ops:s3cret")))
          .get("/api/traces/" + traceId);
      assertThat(trace.strings("services")).contains("order", "inventory");
    }
  }

  static HttpResponse<String> get(String url, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
