package io.hoptrace.collector;

import io.hoptrace.collector.otlp.Signal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.concurrent.TimeUnit;

/** One raw OTLP/gRPC Export call, to see the status the collector answers with. */
public final class GrpcCall {
  private GrpcCall() {}

  public static GrpcClientResponse<Buffer, Buffer> export(Vertx vertx, int port, Signal signal, byte[] body, String auth, boolean gzip)
      throws Exception {
    return export(GrpcClient.client(vertx), port, signal, body, auth, gzip);
  }

  /** The same over TLS, trusting only the PEM certificate {@code trusted}. */
  public static GrpcClientResponse<Buffer, Buffer> exportTls(Vertx vertx, java.nio.file.Path trusted, int port, Signal signal, byte[] body,
      String auth) throws Exception {
    return export(GrpcClient.client(vertx, new io.vertx.core.http.HttpClientOptions().setSsl(true).setUseAlpn(true)
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
        .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(trusted.toString()))), port, signal, body, auth, false);
  }

  private static GrpcClientResponse<Buffer, Buffer> export(GrpcClient client, int port, Signal signal, byte[] body, String auth, boolean gzip)
      throws Exception {
    try {
      ServiceMethod<Buffer, Buffer> m = ServiceMethod.client(ServiceName.create(signal.grpcService()), "Export",
          GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);
      Future<GrpcClientResponse<Buffer, Buffer>> f = client.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"), m)
          .compose(req -> {
            if (auth != null) {
              req.headers().set("authorization", auth);
            }
            if (gzip) {
              req.encoding("gzip");
            }
            return req.send(Buffer.buffer(body));
          })
          .compose(resp -> resp.end().transform(ar -> Future.succeededFuture(resp)));
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }
}
