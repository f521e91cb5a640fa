package io.hoptrace.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OTLP surface: protobuf and JSON over HTTP, gRPC, gzip, the five metric types, and every error answer. */
@ExtendWith(RealInfrastructure.class)
class OtlpSurfaceTest {
  static TestCollector collector;
  static Vertx vertx;
  static final HttpClient http = HttpClient.newHttpClient();
  static final Duration DEADLINE = Duration.ofSeconds(60);

  @BeforeAll
  static void start(Infrastructure infra) throws Exception {
    collector = TestCollector.on(infra, "surface").with("COLLECTOR_MAX_REQUEST_BYTES", "200000")
        .with("COLLECTOR_AUTH_TOKEN", "s3cret").start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    collector.close();
    vertx.close();
  }

  static HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(collector.httpUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void protobufTracesAreAcknowledgedAndLandOnePerSpanWithTheExportersSpellings() throws Exception {
    ByteString tid = Otlp.traceId(1001, 1);
    long now = Otlp.nowNanos();
    ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Otlp.resource("inventory")).addScopeSpans(ScopeSpans.newBuilder()
            .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("io.vertx.kafka").setVersion("5.0.7"))
            .addSpans(Otlp.richSpan(tid, now)))).build();
    HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", req.toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/x-protobuf");
    String where = " FROM otel_traces WHERE TraceId = '" + hex(tid) + "'";
    collector.await("SELECT count()" + where, 1, DEADLINE);
    assertThat(collector.query("SELECT SpanKind, StatusCode, StatusMessage, ServiceName, ScopeName, ScopeVersion, SpanName, ParentSpanId, TraceState, Duration" + where + " FORMAT TSV"))
        .isEqualTo("Consumer\tError\tout of stock\tinventory\tio.vertx.kafka\t5.0.7\tstock-reductions process\t0000000000001234\tvendor=1\t1500000");
    assertThat(collector.query("SELECT SpanAttributes['messaging.system'], SpanAttributes['messaging.kafka.offset'], SpanAttributes['ratio'], SpanAttributes['ok'], ResourceAttributes['service.name']" + where + " FORMAT TSV"))
        .isEqualTo("kafka\t42\t0.25\ttrue\tinventory");
    assertThat(collector.query("SELECT Events.Name, Events.Attributes, Links.TraceId, Links.SpanId, Links.TraceState, Links.Attributes" + where + " FORMAT TSV"))
        .isEqualTo("['exception']\t[{'exception.type':'IllegalStateException'}]\t['00000000000000070000000000000007']\t['000000000000004d']\t['l=1']\t[{'link.kind':'follows'}]");
    assertThat(collector.query("SELECT toUnixTimestamp64Nano(Timestamp) = " + now + " AND toUnixTimestamp64Nano(Events.Timestamp[1]) = " + (now + 10) + where)).isEqualTo("1");
    collector.await("SELECT count() FROM otel_traces_trace_id_ts WHERE TraceId = '" + hex(tid) + "'", 1, DEADLINE);
  }

  @Test
  void jsonWithHexIdsEnumIntsAndCamelCaseIsAccepted() throws Exception {
    long now = Otlp.nowNanos();
    String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"json-svc\"}}]},"
        + "\"scopeSpans\":[{\"scope\":{\"name\":\"js\"},\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
        + "\"name\":\"json span\",\"kind\":3,\"startTimeUnixNano\":\"" + now + "\",\"endTimeUnixNano\":\"" + (now + 1000) + "\","
        + "\"status\":{\"code\":1},\"unknownField\":true}]}]}]}";
    HttpResponse<byte[]> r = post("/v1/traces", "application/json", json.getBytes());
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(text(r)).isEqualTo("{}");
    collector.await("SELECT count() FROM otel_traces WHERE TraceId = '5b8efff798038103d269b633813fc60c' AND SpanId = 'eee19b7ec3c1b174'"
        + " AND SpanKind = 'Client' AND StatusCode = 'Ok' AND ServiceName = 'json-svc'", 1, DEADLINE);
  }

  @Test
  void gzipBodiesAreInflated() throws Exception {
    ExportTraceServiceRequest req = Otlp.traces("gzip-svc", 1002, 3, 4);
    HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", gzip(req.toByteArray()), "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(200);
    collector.await("SELECT count() FROM otel_traces WHERE ServiceName = 'gzip-svc'", 12, DEADLINE);
    assertThat(collector.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces WHERE ServiceName = 'gzip-svc'")).isEqualTo(12);
  }

  @Test
  void allFiveMetricTypesWithExemplarsLandInTheirTables() throws Exception {
    HttpResponse<byte[]> r = post("/v1/metrics", "application/x-protobuf", Otlp.allMetricTypes("metric-svc").toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    String svc = " WHERE ServiceName = 'metric-svc'";
    collector.await("SELECT count() FROM otel_metrics_gauge" + svc + " AND MetricName = 'stock.level' AND Value = 17 AND Attributes['product'] = 'p1'", 1, DEADLINE);
    collector.await("SELECT count() FROM otel_metrics_sum" + svc + " AND IsMonotonic AND AggregationTemporality = 2 AND Value = 3", 1, DEADLINE);
    collector.await("SELECT count() FROM otel_metrics_histogram" + svc + " AND Count = 3 AND BucketCounts = [1,2,0] AND ExplicitBounds = [0.1,1] AND Min = 0.05 AND Max = 0.3", 1, DEADLINE);
    collector.await("SELECT count() FROM otel_metrics_exponential_histogram" + svc + " AND Scale = 2 AND ZeroCount = 1 AND PositiveOffset = 3 AND PositiveBucketCounts = [2,1]", 1, DEADLINE);
    collector.await("SELECT count() FROM otel_metrics_summary" + svc + " AND Count = 10 AND ValueAtQuantiles.Quantile = [0.5,0.99] AND ValueAtQuantiles.Value = [5,9.9]", 1, DEADLINE);
    for (String t : new String[] {"gauge", "sum", "histogram", "exponential_histogram"}) {
      assertThat(collector.query("SELECT Exemplars.TraceId, Exemplars.SpanId, Exemplars.Value, Exemplars.FilteredAttributes FROM otel_metrics_" + t + svc + " FORMAT TSV"))
          .as(t).isEqualTo("['00000000000000090000000000000009']\t['0000000000000063']\t[12.5]\t[{'user':'u1'}]");
    }
    assertThat(collector.query("SELECT ScopeName, ScopeVersion, MetricUnit, toUnixTimestamp(TimeUnix) - toUnixTimestamp(StartTimeUnix) FROM otel_metrics_gauge" + svc + " FORMAT TSV"))
        .isEqualTo("meter\t2\t{item}\t60");
  }

  @Test
  void logsLandWithSeverityBodyAndIds() throws Exception {
    ByteString tid = Otlp.traceId(1003, 3);
    HttpResponse<byte[]> r = post("/v1/logs", "application/x-protobuf", Otlp.logs("log-svc", 5, tid).toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    collector.await("SELECT count() FROM otel_logs WHERE ServiceName = 'log-svc' AND TraceId = '" + hex(tid) + "' AND SeverityText = 'WARN'"
        + " AND SeverityNumber = 13 AND TraceFlags = 1 AND startsWith(Body, 'line ') AND ScopeName = 'log-scope' AND LogAttributes['i'] != ''", 5, DEADLINE);
  }

  @Test
  void grpcExportOfAllSignalsIsAcknowledgedAndIngested() throws Exception {
    ExportTraceServiceRequest req = Otlp.traces("grpc-svc", 1004, 2, 3);
    GrpcClientResponse<Buffer, Buffer> resp = grpc(Signal.TRACES, req.toByteArray(), "Bearer s3cret", false);
    assertThat(resp.status()).isEqualTo(GrpcStatus.OK);
    GrpcClientResponse<Buffer, Buffer> gz = grpc(Signal.LOGS, Otlp.logs("grpc-svc", 2, Otlp.traceId(1004, 9)).toByteArray(), "Bearer s3cret", true);
    assertThat(gz.status()).isEqualTo(GrpcStatus.OK);
    assertThat(grpc(Signal.METRICS, Otlp.allMetricTypes("grpc-svc").toByteArray(), "Bearer s3cret", false).status()).isEqualTo(GrpcStatus.OK);
    collector.await("SELECT count() FROM otel_traces WHERE ServiceName = 'grpc-svc'", 6, DEADLINE);
    collector.await("SELECT count() FROM otel_logs WHERE ServiceName = 'grpc-svc'", 2, DEADLINE);
    collector.await("SELECT count() FROM otel_metrics_summary WHERE ServiceName = 'grpc-svc'", 1, DEADLINE);
  }

  @Test
  void exportsWithoutSpansAreAcknowledgedAtOnce() throws Exception {
    // found by the fault suite's fuzzer: a traces request with no span was never answered
    assertThat(post("/v1/traces", "application/x-protobuf", new byte[0], "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
    assertThat(post("/v1/traces", "application/json", "{\"resourceSpans\":[{\"scopeSpans\":[{}]}]}".getBytes(),
        "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
    assertThat(grpc(Signal.TRACES, ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder())).build().toByteArray(), "Bearer s3cret", false).status()).isEqualTo(GrpcStatus.OK);
  }

  @Test
  void anAttributeNestedThousandsDeepIsRefusedAsInvalid() throws Exception {
    // found by the fault suite's fuzzer: answered 503 "internal error", which an exporter retries forever
    byte[] value = com.google.protobuf.ByteString.copyFromUtf8("leaf").toByteArray();
    value = Otlp.lengthDelimited(1, value); // AnyValue.string_value
    for (int i = 0; i < 5000; i++) {
      byte[] kv = Otlp.concat(Otlp.lengthDelimited(1, "k".getBytes()), Otlp.lengthDelimited(2, value)); // KeyValue{key, value}
      value = Otlp.lengthDelimited(6, Otlp.lengthDelimited(1, kv)); // AnyValue.kvlist_value{values}
    }
    byte[] span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(Otlp.traceId(77, 1)).setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setName("deep").build().toByteArray();
    byte[] attribute = Otlp.lengthDelimited(9, Otlp.concat(Otlp.lengthDelimited(1, "deep".getBytes()), Otlp.lengthDelimited(2, value)));
    byte[] request = Otlp.lengthDelimited(1, Otlp.lengthDelimited(2, Otlp.lengthDelimited(2, Otlp.concat(span, attribute))));
    HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", request);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(400);
    assertThat(grpc(Signal.TRACES, request, "Bearer s3cret", false).status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }

  @Test
  void grpcErrorsAreInvalidArgumentAndUnauthenticated() throws Exception {
    GrpcClientResponse<Buffer, Buffer> bad = grpc(Signal.TRACES, new byte[] {0x0a, 0x05, 0x01}, "Bearer s3cret", false);
    assertThat(bad.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(bad.statusMessage()).contains("ExportTraceServiceRequest");
    assertThat(grpc(Signal.TRACES, Otlp.traces("x", 1, 1, 1).toByteArray(), "Bearer wrong", false).status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
  }

  @Test
  void everyHttpErrorAnswerNamesTheProblem() throws Exception {
    HttpResponse<byte[]> malformed = post("/v1/traces", "application/x-protobuf", new byte[] {0x0a, 0x05, 0x01});
    assertThat(malformed.statusCode()).isEqualTo(400);
    String status = new String(malformed.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(status).contains("not a valid protobuf ExportTraceServiceRequest"); // google.rpc.Status, protobuf

    HttpResponse<byte[]> badId = post("/v1/traces", "application/json",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"abcd\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}]}".getBytes());
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(text(badId)).contains("\"code\":3").contains("resourceSpans[0].scopeSpans[0].spans[0].traceId must be 16 bytes");

    HttpResponse<byte[]> notJson = post("/v1/logs", "application/json", "[1,2".getBytes());
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(text(notJson)).contains("not a JSON object");

    HttpResponse<byte[]> badGzip = post("/v1/traces", "application/x-protobuf", new byte[] {1, 2, 3}, "Content-Encoding", "gzip");
    assertThat(badGzip.statusCode()).isEqualTo(400);

    HttpResponse<byte[]> mediaType = post("/v1/traces", "text/plain", "hi".getBytes());
    assertThat(mediaType.statusCode()).isEqualTo(415);
    assertThat(text(mediaType)).contains("application/x-protobuf or application/json");

    HttpResponse<byte[]> encoding = post("/v1/traces", "application/json", "{}".getBytes(), "Content-Encoding", "br");
    assertThat(encoding.statusCode()).isEqualTo(415);

    HttpResponse<byte[]> tooLarge = post("/v1/traces", "application/x-protobuf", new byte[300_000]);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(text(tooLarge)).contains("COLLECTOR_MAX_REQUEST_BYTES");

    HttpResponse<byte[]> bomb = post("/v1/traces", "application/x-protobuf", gzip(new byte[1_000_000]), "Content-Encoding", "gzip");
    assertThat(bomb.statusCode()).isEqualTo(413);

    HttpResponse<byte[]> noToken = http.send(HttpRequest.newBuilder(URI.create(collector.httpUrl() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(noToken.statusCode()).isEqualTo(401);

    assertThat(post("/v1/nothing", "application/json", "{}".getBytes()).statusCode()).isEqualTo(404);
    // nothing of the refused requests reached ClickHouse
    assertThat(collector.count("SELECT count() FROM otel_traces WHERE TraceId = ''")).isZero();
  }

  private static GrpcClientResponse<Buffer, Buffer> grpc(Signal signal, byte[] body, String auth, boolean gzip) throws Exception {
    return io.hoptrace.collector.GrpcCall.export(vertx, collector.grpcPort(), signal, body, auth, gzip);
  }

  static String hex(ByteString b) {
    return java.util.HexFormat.of().formatHex(b.toByteArray());
  }
}
