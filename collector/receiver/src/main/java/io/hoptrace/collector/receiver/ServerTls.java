package io.hoptrace.collector.receiver;

import io.hoptrace.config.Env;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS of both OTLP ports: a PEM certificate (chain) and its PEM private key (PKCS#8 or PKCS#1), from
 * {@code COLLECTOR_TLS_CERT_FILE} and {@code COLLECTOR_TLS_KEY_FILE}. Both or neither; without them
 * the ports speak plain HTTP and h2c, as before.
 */
public record ServerTls(Path certFile, Path keyFile) {

  public static Optional<ServerTls> fromEnv(Env env) {
    Optional<String> cert = env.optional("COLLECTOR_TLS_CERT_FILE");
    Optional<String> key = env.optional("COLLECTOR_TLS_KEY_FILE");
    if (cert.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new Env.ConfigException("COLLECTOR_TLS_CERT_FILE and COLLECTOR_TLS_KEY_FILE go together: set both (PEM files) or neither");
    }
    return Optional.of(new ServerTls(readable("COLLECTOR_TLS_CERT_FILE", cert.get()), readable("COLLECTOR_TLS_KEY_FILE", key.get())));
  }

  private static Path readable(String name, String value) {
    Path p = Path.of(value);
    if (!Files.isReadable(p) || Files.isDirectory(p)) {
      throw new Env.ConfigException(name + "=" + value + " is invalid: not a readable file");
    }
    return p;
  }

  /** {@code options} serving TLS with this certificate; ALPN offers h2 (gRPC) and http/1.1. */
  HttpServerOptions apply(HttpServerOptions options) {
    return options.setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()));
  }
}
