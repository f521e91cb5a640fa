package io.hoptrace.collector.receiver;

import io.hoptrace.collector.otlp.Signal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.Base64;

/**
 * OTLP/gRPC: the three {@code Export} methods on vertx-grpc-server, i.e. on the same event loops as
 * OTLP/HTTP (docs/adr/001). Messages arrive as raw bytes (gzip already inflated by vertx-grpc) and go
 * through the same {@link Exporter} as HTTP bodies; no grpc-java/Netty second stack.
 */
public final class OtlpGrpcServer {
  private final Vertx vertx;
  private final ReceiverConfig config;
  private final Exporter exporter;

  public OtlpGrpcServer(Vertx vertx, ReceiverConfig config, Exporter exporter) {
    this.vertx = vertx;
    this.config = config;
    this.exporter = exporter;
  }

  public Future<HttpServer> listen() {
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(config.maxRequestBytes()));
    for (Signal signal : Signal.values()) {
      ServiceMethod<Buffer, Buffer> export = ServiceMethod.server(ServiceName.create(signal.grpcService()), "Export",
          GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);
      grpc.callHandler(export, req -> handle(req, signal));
    }
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.grpcPort())
        .setHttp2ClearTextEnabled(true);
    return vertx.createHttpServer(options).requestHandler(grpc).listen();
  }

  private void handle(GrpcServerRequest<Buffer, Buffer> req, Signal signal) {
    GrpcServerResponse<Buffer, Buffer> resp = req.response();
    if (!Auth.allowed(config.authToken(), req.headers().get("authorization"))) {
      resp.status(GrpcStatus.UNAUTHENTICATED).statusMessage("missing or wrong bearer token (authorization: Bearer <COLLECTOR_AUTH_TOKEN>)").end();
      return;
    }
    req.last()
        .compose(body -> exporter.export(signal, body.getBytes(), BodyFormat.PROTOBUF))
        .onSuccess(r -> resp.end(Buffer.buffer(signal.emptyResponse().toByteArray())))
        .onFailure(e -> fail(resp, e));
  }

  private static void fail(GrpcServerResponse<Buffer, Buffer> resp, Throwable e) {
    GrpcStatus status;
    int retry = 0;
    if (e instanceof ExportException x) {
      switch (x.kind()) {
        case INVALID, TOO_LARGE -> status = GrpcStatus.INVALID_ARGUMENT;
        case OVERLOADED -> {
          status = GrpcStatus.RESOURCE_EXHAUSTED;
          retry = OtlpHttpServer.RETRY_AFTER_SECONDS;
        }
        default -> {
          status = GrpcStatus.UNAVAILABLE;
          retry = OtlpHttpServer.RETRY_AFTER_SECONDS;
        }
      }
    } else {
      status = GrpcStatus.UNAVAILABLE;
      retry = OtlpHttpServer.RETRY_AFTER_SECONDS;
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    if (retry > 0) {
      // OTLP: RESOURCE_EXHAUSTED is retryable only with a RetryInfo detail
      resp.trailers().set("grpc-status-details-bin",
          Base64.getEncoder().withoutPadding().encodeToString(RpcStatus.protobuf(status.code, message, retry)));
    }
    resp.status(status).statusMessage(message).end();
  }
}
