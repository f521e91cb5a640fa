package io.hoptrace.collector.receiver;

import io.hoptrace.collector.otlp.Signal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/HTTP: {@code POST /v1/traces}, {@code /v1/metrics}, {@code /v1/logs} with protobuf or JSON
 * bodies, optionally gzip-compressed. Answers 200 only after Kafka acknowledged; errors carry a
 * {@code google.rpc.Status} body in the request's encoding.
 */
public final class OtlpHttpServer {
  static final int RETRY_AFTER_SECONDS = 5;

  private final Vertx vertx;
  private final ReceiverConfig config;
  private final Exporter exporter;

  public OtlpHttpServer(Vertx vertx, ReceiverConfig config, Exporter exporter) {
    this.vertx = vertx;
    this.config = config;
    this.exporter = exporter;
  }

  public Router router() {
    Router router = Router.router(vertx);
    for (Signal signal : Signal.values()) {
      router.post(signal.httpPath()).handler(ctx -> handle(ctx, signal));
    }
    return router;
  }

  public Future<HttpServer> listen() {
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.httpPort())
        .setCompressionSupported(false).setDecompressionSupported(false).setMaxFormAttributeSize(0);
    config.tls().ifPresent(tls -> tls.apply(options));
    return vertx.createHttpServer(options).requestHandler(router()).listen();
  }

  private void handle(RoutingContext ctx, Signal signal) {
    HttpServerRequest req = ctx.request();
    BodyFormat format = BodyFormat.of(req.getHeader("Content-Type"));
    BodyFormat answerIn = format == null ? BodyFormat.JSON : format;
    if (!Auth.allowed(config.authToken(), req.getHeader("Authorization"))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      closeAfter(req);
      error(ctx.response(), answerIn, 401, 16, "missing or wrong bearer token (Authorization: Bearer <COLLECTOR_AUTH_TOKEN>)", 0);
      return;
    }
    if (!config.serves(signal)) {
      // a dedicated collector: not retryable (404, like a collector without that pipeline), and says where to send it
      closeAfter(req);
      error(ctx.response(), answerIn, 404, 12, config.notServed(signal), 0);
      return;
    }
    if (format == null) {
      closeAfter(req);
      error(ctx.response(), answerIn, 415, 3, "unsupported Content-Type '" + req.getHeader("Content-Type")
          + "': send application/x-protobuf or application/json", 0);
      return;
    }
    String encoding = req.getHeader("Content-Encoding");
    boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
    if (encoding != null && !gzip && !encoding.trim().equalsIgnoreCase("identity") && !encoding.isBlank()) {
      closeAfter(req);
      error(ctx.response(), answerIn, 415, 3, "unsupported Content-Encoding '" + encoding + "': send gzip or no encoding", 0);
      return;
    }
    String length = req.getHeader("Content-Length");
    long declared = length == null ? -1 : parseLong(length);
    if (declared > config.maxRequestBytes()) {
      closeAfter(req);
      error(ctx.response(), answerIn, 413, 3, "request body of " + length + " bytes exceeds the limit of "
          + config.maxRequestBytes() + " bytes (COLLECTOR_MAX_REQUEST_BYTES); send smaller batches", 0);
      return;
    }
    // sized from Content-Length: no growing and copying while the chunks arrive (the profile showed
    // the body's growth as a fifth of the receiver's allocations), and exactly sized, so no copy at the end
    Buffer body = declared > 0 ? Buffer.buffer((int) declared) : Buffer.buffer();
    boolean[] tooLarge = {false};
    req.handler(chunk -> {
      if (tooLarge[0]) {
        return;
      }
      if (body.length() + chunk.length() > config.maxRequestBytes()) {
        tooLarge[0] = true;
        closeAfter(req);
        error(ctx.response(), answerIn, 413, 3, "request body exceeds the limit of " + config.maxRequestBytes()
            + " bytes (COLLECTOR_MAX_REQUEST_BYTES); send smaller batches", 0);
        return;
      }
      body.appendBuffer(chunk);
    });
    req.exceptionHandler(e -> { /* connection closed: nothing was acknowledged */ });
    req.endHandler(v -> {
      if (tooLarge[0]) {
        return;
      }
      Future<byte[]> bytes = gzip
          ? vertx.executeBlocking(() -> gunzip(body.getBytes(), config.maxRequestBytes()), false)
          : Future.succeededFuture(bytesOf(body));
      bytes.compose(b -> exporter.export(signal, b, format))
          .onSuccess(r -> ok(ctx.response(), signal, format))
          .onFailure(e -> failure(ctx.response(), answerIn, e));
    });
    req.resume(); // the router pauses requests until a handler takes the body
  }

  /** The body's bytes: its own array when the buffer is exactly that (the usual case), else a copy. */
  static byte[] bytesOf(Buffer body) {
    io.netty.buffer.ByteBuf bb = ((io.vertx.core.internal.buffer.BufferInternal) body).getByteBuf();
    if (bb.hasArray() && bb.arrayOffset() == 0 && bb.readerIndex() == 0 && bb.array().length == body.length()) {
      return bb.array();
    }
    return body.getBytes();
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static byte[] gunzip(byte[] gz, int limit) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 8192)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, Math.max(1024, gz.length * 4)));
      byte[] chunk = new byte[16384];
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (out.size() + n > limit) {
          throw new ExportException(ExportException.Kind.TOO_LARGE, "the gzip body inflates to more than "
              + limit + " bytes (COLLECTOR_MAX_REQUEST_BYTES); send smaller batches");
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new ExportException(ExportException.Kind.INVALID, "Content-Encoding is gzip but the body is not valid gzip: " + e.getMessage(), e);
    }
  }

  private static void ok(HttpServerResponse resp, Signal signal, BodyFormat format) {
    if (resp.closed() || resp.ended()) {
      return;
    }
    resp.setStatusCode(200).putHeader("Content-Type", format.contentType());
    resp.end(format == BodyFormat.JSON ? Buffer.buffer("{}") : Buffer.buffer(signal.emptyResponse().toByteArray()));
  }

  private static void failure(HttpServerResponse resp, BodyFormat format, Throwable e) {
    if (e instanceof ExportException x) {
      switch (x.kind()) {
        case INVALID -> error(resp, format, 400, 3, x.getMessage(), 0);
        case TOO_LARGE -> error(resp, format, 413, 3, x.getMessage(), 0);
        case OVERLOADED -> error(resp, format, 429, 8, x.getMessage(), RETRY_AFTER_SECONDS);
        case UNAVAILABLE -> error(resp, format, 503, 14, x.getMessage(), RETRY_AFTER_SECONDS);
      }
    } else {
      error(resp, format, 503, 14, "internal error: " + e + "; retry later", RETRY_AFTER_SECONDS);
    }
  }

  /**
   * An answer before the body was read leaves the rest of the body on an HTTP/1.1 connection: say it
   * closes, so that the client does not send its next request into it.
   */
  private static void closeAfter(HttpServerRequest req) {
    if (req.version() != io.vertx.core.http.HttpVersion.HTTP_2 && !req.response().headWritten()) {
      req.response().putHeader("Connection", "close");
    }
  }

  static void error(HttpServerResponse resp, BodyFormat format, int status, int grpcCode, String message, int retryAfter) {
    if (resp.closed() || resp.ended()) {
      return;
    }
    resp.setStatusCode(status).putHeader("Content-Type", format.contentType());
    if (retryAfter > 0) {
      resp.putHeader("Retry-After", Integer.toString(retryAfter));
    }
    resp.end(format == BodyFormat.JSON ? Buffer.buffer(RpcStatus.json(grpcCode, message))
        : Buffer.buffer(RpcStatus.protobuf(grpcCode, message, 0)));
  }
}
