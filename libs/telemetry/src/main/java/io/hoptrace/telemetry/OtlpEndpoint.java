package io.hoptrace.telemetry;

import io.hoptrace.config.Env;

/** Where OTLP goes when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is not set: the collector's port for the protocol. */
final class OtlpEndpoint {
  static final String HTTP = "http://127.0.0.1:4318";
  static final String GRPC = "http://127.0.0.1:4317";

  private OtlpEndpoint() {}

  /** @param protocol {@code OTEL_EXPORTER_OTLP_PROTOCOL}: {@code http/protobuf} (also when unset), {@code http/json} or {@code grpc} */
  static String defaultFor(String protocol) {
    if (protocol == null || protocol.isBlank() || protocol.equals("http/protobuf") || protocol.equals("http/json")) {
      return HTTP;
    }
    if (protocol.equals("grpc")) {
      return GRPC;
    }
    throw new Env.ConfigException("OTEL_EXPORTER_OTLP_PROTOCOL=" + protocol + " is invalid: use http/protobuf (default), http/json or grpc");
  }
}
