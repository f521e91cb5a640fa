package io.hoptrace.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.config.Env;
import io.hoptrace.process.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL=grpc} works: spans leave as OTLP/gRPC (HTTP/2 without TLS, as
 * the collector's port 4317 speaks it), and without an endpoint the default follows the protocol.
 */
class GrpcExportTest {

  @Test
  void spansLeaveAsOtlpGrpc() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<String> calls = new CopyOnWriteArrayList<>();
    try {
      // the receiving end of a gRPC unary call: answers an empty ExportTraceServiceResponse, grpc-status 0
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
          .requestHandler(req -> req.body().onSuccess(body -> {
            calls.add(req.version() + " " + req.path() + " " + req.getHeader("content-type") + " " + body.length());
            req.response().putHeader("content-type", "application/grpc")
                .write(Buffer.buffer(new byte[] {0, 0, 0, 0, 0}))
                .onSuccess(v -> req.response().putTrailer("grpc-status", "0").end());
          }))
          .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Telemetry t = Telemetry.builder("svc")
          .override("otel.exporter.otlp.protocol", "grpc")
          .override("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + server.actualPort())
          .override("otel.metrics.exporter", "none")
          .override("otel.logs.exporter", "none")
          .installLogback(false).runtimeMetrics(false)
          .build();
      try {
        t.tracer().spanBuilder("over grpc").startSpan().end();
        Poll.until("the span to arrive over gRPC", Duration.ofSeconds(20), Duration.ofMillis(50), () -> !calls.isEmpty());
      } finally {
        t.close();
      }
      String call = calls.get(0);
      assertThat(call).startsWith(HttpVersion.HTTP_2 + " /opentelemetry.proto.collector.trace.v1.TraceService/Export application/grpc");
      assertThat(Integer.parseInt(call.substring(call.lastIndexOf(' ') + 1))).as("a gRPC frame with the request").isGreaterThan(5);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theDefaultEndpointFollowsTheProtocol() {
    assertThat(OtlpEndpoint.defaultFor(null)).isEqualTo("http://127.0.0.1:4318");
    assertThat(OtlpEndpoint.defaultFor("http/protobuf")).isEqualTo("http://127.0.0.1:4318");
    assertThat(OtlpEndpoint.defaultFor("http/json")).isEqualTo("http://127.0.0.1:4318");
    assertThat(OtlpEndpoint.defaultFor("grpc")).isEqualTo("http://127.0.0.1:4317");
  }

  @Test
  void anUnknownProtocolIsAnErrorThatNamesTheVariable() {
    assertThatThrownBy(() -> Telemetry.builder("svc").override("otel.exporter.otlp.protocol", "thrift")
        .installLogback(false).runtimeMetrics(false).build())
        .isInstanceOf(Env.ConfigException.class)
        .hasMessage("OTEL_EXPORTER_OTLP_PROTOCOL=thrift is invalid: use http/protobuf (default), http/json or grpc");
  }
}
