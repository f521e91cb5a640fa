package io.hoptrace.faults.fuzz;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bare gRPC client over HTTP/2 cleartext: it writes whatever bytes it is given as the request body
 * (so the framing itself can be fuzzed) and reads the grpc-status of the answer.
 */
public final class GrpcClient implements AutoCloseable {
  public static final String TRACES = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
  public static final String METRICS = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
  public static final String LOGS = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

  /** The answer: HTTP status, grpc-status (null when absent) and grpc-message. */
  public record Answer(int httpStatus, String grpcStatus, String message) {
    @Override
    public String toString() {
      return "HTTP " + httpStatus + " grpc-status " + grpcStatus + (message == null ? "" : " (" + message + ")");
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpClientAgent client;
  private final int port;

  public GrpcClient(int port) {
    this.port = port;
    this.client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
  }

  /** One length-prefixed, uncompressed gRPC message. */
  public static byte[] frame(byte[] message) {
    return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
  }

  /** Sends {@code body} as is; throws {@link java.util.concurrent.TimeoutException} when no answer comes within {@code timeout}. */
  public Answer call(String path, byte[] body, Map<String, String> headers, Duration timeout) throws Exception {
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path)
        .putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    headers.forEach(ro::putHeader);
    // the response's handlers are set the moment it arrives: with send().compose(resp -> resp.body()),
    // about one trailers-only answer in 700 ended before body() was called and the call never completed
    Promise<Answer> answer = Promise.promise();
    client.request(ro).onSuccess(req -> {
      req.response().onSuccess(resp -> {
        resp.exceptionHandler(answer::tryFail);
        resp.handler(chunk -> { });
        resp.endHandler(v -> {
          String status = resp.trailers().get("grpc-status");
          String message = resp.trailers().get("grpc-message");
          if (status == null) {
            status = resp.headers().get("grpc-status");
            message = resp.headers().get("grpc-message");
          }
          answer.tryComplete(new Answer(resp.statusCode(), status, message));
        });
      }).onFailure(answer::tryFail);
      req.end(Buffer.buffer(body)).onFailure(answer::tryFail);
    }).onFailure(answer::tryFail);
    return answer.future().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }
}
