package io.hoptrace.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Broken gRPC framing (found by the fault suite's fuzzer): a stream that ends inside a message or
 * without one, or a compressed flag the server cannot honour, gets a clear error status at once,
 * never silence.
 */
@ExtendWith(RealInfrastructure.class)
class GrpcFramingTest {
  static final String TRACES = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
  static TestCollector collector;
  static Vertx vertx;
  static HttpClientAgent h2;

  @BeforeAll
  static void start(Infrastructure infra) throws Exception {
    collector = TestCollector.on(infra, "grpc-framing").with("COLLECTOR_MAX_REQUEST_BYTES", "200000").start();
    vertx = Vertx.vertx();
    h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  @AfterAll
  static void stop() {
    collector.close();
    vertx.close();
  }

  /** Sends the body as is and returns grpc-status (from the trailers or a trailers-only answer). */
  static String call(byte[] body, String encoding) throws Exception {
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(collector.grpcPort()).setURI(TRACES)
        .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    if (encoding != null) {
      ro.putHeader("grpc-encoding", encoding);
    }
    // body() is asked for in the event-loop callback that sends: chained from this thread instead, it
    // could be registered only after a one-frame (trailers-only) answer had ended, and then wait forever
    return h2.request(ro).compose(req -> req.send(Buffer.buffer(body))
            .compose(resp -> resp.body().map(b -> resp.trailers().contains("grpc-status") ? resp.trailers().get("grpc-status")
                : resp.headers().get("grpc-status"))))
        .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  static byte[] frame(byte[] message, int flag, int declaredLength) {
    return ByteBuffer.allocate(5 + message.length).put((byte) flag).putInt(declaredLength).put(message).array();
  }

  @Test
  void aStreamEndingInsideAMessageIsInvalidArgument() throws Exception {
    byte[] m = Otlp.traces("framing", 1, 1, 1).toByteArray();
    assertThat(call(frame(m, 0, m.length + 10), null)).isEqualTo("3");
  }

  @Test
  void aStreamWithoutAMessageIsInvalidArgument() throws Exception {
    assertThat(call(new byte[0], null)).isEqualTo("3");
    assertThat(call(new byte[] {0, 0}, null)).isEqualTo("3");
  }

  @Test
  void aCompressedFlagWithoutEncodingOrWithBadGzipIsAnError() throws Exception {
    byte[] m = Otlp.traces("framing", 2, 1, 1).toByteArray();
    // an answer, not silence (vertx-grpc alone never answers this one); the flag without an encoding reads as identity
    assertThat(call(frame(m, 1, m.length), null)).isEqualTo("0");
    assertThat(call(frame(m, 1, m.length), "gzip")).isEqualTo("3");
    assertThat(call(frame(m, 1, m.length), "br")).isEqualTo("3");
  }

  @Test
  void twoMessagesInOneUnaryCallAreInvalidArgument() throws Exception {
    byte[] m = Otlp.traces("framing", 3, 1, 1).toByteArray();
    byte[] one = frame(m, 0, m.length);
    byte[] two = ByteBuffer.allocate(one.length * 2).put(one).put(one).array();
    assertThat(call(two, null)).isEqualTo("3");
  }

  @Test
  void anOversizedMessageAndAGzipBombAreInvalidArgument() throws Exception {
    byte[] big = new byte[300_000];
    assertThat(call(frame(big, 0, big.length), null)).isEqualTo("3");
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(new byte[10_000_000]); // 10 MB of zeros in about 10 KB
    }
    assertThat(call(frame(gz.toByteArray(), 1, gz.size()), "gzip")).isEqualTo("3");
  }

  @Test
  void aGzipMessageWithinTheLimitIsAccepted() throws Exception {
    byte[] m = Otlp.traces("framing", 5, 1, 1).toByteArray();
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(m);
    }
    assertThat(call(frame(gz.toByteArray(), 1, gz.size()), "gzip")).isEqualTo("0");
  }

  @Test
  void aWellFramedMessageIsStillAccepted() throws Exception {
    byte[] m = Otlp.traces("framing", 4, 1, 1).toByteArray();
    assertThat(call(frame(m, 0, m.length), null)).isEqualTo("0");
  }
}
