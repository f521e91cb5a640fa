package io.hoptrace.collector.receiver;

import io.hoptrace.collector.otlp.Signal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OTLP/gRPC: the three {@code Export} methods on vertx-grpc-server, i.e. on the same event loops as
 * OTLP/HTTP (docs/adr/003). Messages arrive as raw bytes (gzip inflated here, within the size limit)
 * and go through the same {@link Exporter} as HTTP bodies; no grpc-java/Netty second stack.
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
    config.tls().ifPresent(tls -> tls.apply(options));
    return vertx.createHttpServer(options).requestHandler(http -> {
      // vertx-grpc 5.0.7 throws out of its deframer, and never answers, when a message carries the
      // compressed flag but the request named no grpc-encoding: naming identity turns that into a
      // message that fails to decode, which is refused below like any other malformed message
      if (http.headers().get("grpc-encoding") == null) {
        http.headers().set("grpc-encoding", "identity");
      }
      grpc.handle(http);
    }).listen();
  }

  private void handle(GrpcServerRequest<Buffer, Buffer> req, Signal signal) {
    GrpcServerResponse<Buffer, Buffer> resp = req.response();
    if (!Auth.allowed(config.authToken(), req.headers().get("authorization"))) {
      resp.status(GrpcStatus.UNAUTHENTICATED).statusMessage("missing or wrong bearer token (authorization: Bearer <COLLECTOR_AUTH_TOKEN>)").end();
      return;
    }
    if (!config.serves(signal)) {
      resp.status(GrpcStatus.UNIMPLEMENTED).statusMessage(config.notServed(signal)).end();
      return;
    }
    // not req.last(): it answers a stream without a complete message (or with an oversized one)
    // with a NullPointerException, which would read as the retryable UNAVAILABLE, and takes the last
    // of several messages silently; and vertx-grpc inflates gzip without a bound
    List<GrpcMessage> messages = new ArrayList<>(1);
    boolean[] tooLarge = {false};
    req.invalidMessageHandler(e -> tooLarge[0] = true);
    req.messageHandler(messages::add);
    req.exceptionHandler(e -> { /* stream reset or connection closed: nothing was acknowledged */ });
    // end(), not endHandler(): a request without a body may have ended before this handler ran
    req.end().onSuccess(v -> {
      Future<byte[]> body;
      if (tooLarge[0]) {
        body = Future.failedFuture(new ExportException(ExportException.Kind.TOO_LARGE, "a message is larger than "
            + config.maxRequestBytes() + " bytes (COLLECTOR_MAX_REQUEST_BYTES); send smaller batches"));
      } else if (messages.size() != 1) {
        body = Future.failedFuture(new ExportException(ExportException.Kind.INVALID, messages.isEmpty()
            ? "the request holds no complete gRPC message (the stream ended inside a message, or before one)"
            : "Export is unary: the request holds " + messages.size() + " messages, send one per call"));
      } else {
        body = payload(messages.get(0));
      }
      body.compose(bytes -> exporter.export(signal, bytes, BodyFormat.PROTOBUF))
          .onSuccess(r -> resp.end(Buffer.buffer(signal.emptyResponse().toByteArray())))
          .onFailure(e -> fail(resp, e));
    });
  }

  /** The message's bytes, gzip inflated within the request size limit. */
  private Future<byte[]> payload(GrpcMessage m) {
    byte[] bytes = m.payload().getBytes();
    return switch (m.encoding()) {
      case "identity" -> Future.succeededFuture(bytes);
      case "gzip" -> vertx.executeBlocking(() -> OtlpHttpServer.gunzip(bytes, config.maxRequestBytes()), false);
      default -> Future.failedFuture(new ExportException(ExportException.Kind.INVALID,
          "unsupported grpc-encoding '" + m.encoding() + "': send gzip or identity"));
    };
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
