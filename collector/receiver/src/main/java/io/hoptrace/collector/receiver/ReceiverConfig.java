package io.hoptrace.collector.receiver;

import io.hoptrace.collector.buffer.TelemetryTopics;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.kafka.Topics;
import io.hoptrace.config.Env;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the receiver role (the OTLP front door).
 *
 * @param host address both OTLP ports bind to ({@code COLLECTOR_HOST}, 127.0.0.1)
 * @param httpPort OTLP/HTTP ({@code COLLECTOR_OTLP_HTTP_PORT}, 4318)
 * @param grpcPort OTLP/gRPC ({@code COLLECTOR_OTLP_GRPC_PORT}, 4317)
 * @param authToken bearer token both ports require ({@code COLLECTOR_AUTH_TOKEN}, or the content of the
 *     file {@code COLLECTOR_AUTH_TOKEN_FILE}; empty = no auth)
 * @param tls certificate and key both ports serve TLS with ({@code COLLECTOR_TLS_CERT_FILE},
 *     {@code COLLECTOR_TLS_KEY_FILE}; empty = plain HTTP and h2c)
 * @param maxRequestBytes largest request body, compressed or not ({@code COLLECTOR_MAX_REQUEST_BYTES}, 16 MiB)
 * @param maxInFlightBytes request bytes held until Kafka acknowledged, beyond which requests get 429
 *     ({@code COLLECTOR_MAX_INFLIGHT_BYTES}, 32 MiB)
 * @param maxRecordBytes largest Kafka record the receiver writes; larger requests are split
 *     ({@code COLLECTOR_MAX_RECORD_BYTES}, the telemetry topics' max.message.bytes less 64 KiB)
 * @param kafkaBootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS} (127.0.0.1:9092)
 * @param deliveryTimeout how long a request waits for Kafka before it gets 503 ({@code COLLECTOR_KAFKA_DELIVERY_TIMEOUT}, 10s)
 * @param topics topic per signal ({@code COLLECTOR_TOPIC_SPANS}, {@code _METRICS}, {@code _LOGS})
 * @param instances Vert.x event loops serving the ports ({@code COLLECTOR_RECEIVER_INSTANCES}, number of cores)
 * @param compression compression of the records written to Kafka ({@code COLLECTOR_KAFKA_COMPRESSION}, lz4)
 * @param linger how long the producer waits to fill a batch per partition ({@code COLLECTOR_KAFKA_LINGER}, 5ms)
 * @param signals the signals this receiver accepts ({@code --signals} or {@code COLLECTOR_SIGNALS}, all three); the
 *     others are refused with 404 / gRPC UNIMPLEMENTED naming the signals served (a dedicated collector)
 */
public record ReceiverConfig(
    String host,
    int httpPort,
    int grpcPort,
    Optional<String> authToken,
    Optional<ServerTls> tls,
    int maxRequestBytes,
    long maxInFlightBytes,
    int maxRecordBytes,
    String kafkaBootstrapServers,
    Duration deliveryTimeout,
    TelemetryTopics topics,
    int instances,
    String compression,
    Duration linger,
    java.util.Set<Signal> signals) {

  public ReceiverConfig {
    signals = java.util.Set.copyOf(signals);
    if (!java.util.List.of("none", "gzip", "snappy", "lz4", "zstd").contains(compression)) {
      throw new Env.ConfigException("COLLECTOR_KAFKA_COMPRESSION=" + compression + " must be one of none, gzip, snappy, lz4, zstd");
    }
    if (maxInFlightBytes < maxRequestBytes) {
      throw new Env.ConfigException("COLLECTOR_MAX_INFLIGHT_BYTES=" + maxInFlightBytes + " must be at least COLLECTOR_MAX_REQUEST_BYTES="
          + maxRequestBytes + " (otherwise the largest request could never be accepted)");
    }
  }

  public static ReceiverConfig fromEnv(Env env) {
    return new ReceiverConfig(
        env.string("COLLECTOR_HOST", "127.0.0.1"),
        env.port("COLLECTOR_OTLP_HTTP_PORT", 4318),
        env.port("COLLECTOR_OTLP_GRPC_PORT", 4317),
        env.secret("COLLECTOR_AUTH_TOKEN"),
        ServerTls.fromEnv(env),
        env.integer("COLLECTOR_MAX_REQUEST_BYTES", 16 << 20, 1024, 256 << 20),
        env.longValue("COLLECTOR_MAX_INFLIGHT_BYTES", 32L << 20, 1024, 8L << 30),
        env.integer("COLLECTOR_MAX_RECORD_BYTES", Topics.TELEMETRY_MAX_MESSAGE_BYTES - (64 << 10), 1024, Topics.TELEMETRY_MAX_MESSAGE_BYTES),
        env.string("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        env.duration("COLLECTOR_KAFKA_DELIVERY_TIMEOUT", Duration.ofSeconds(10)),
        TelemetryTopics.fromEnv(env),
        env.integer("COLLECTOR_RECEIVER_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 64),
        env.string("COLLECTOR_KAFKA_COMPRESSION", "lz4"),
        env.duration("COLLECTOR_KAFKA_LINGER", Duration.ofMillis(5)),
        TelemetryTopics.signalsFromEnv(env));
  }

  /** The same receiver accepting only {@code served}. */
  public ReceiverConfig withSignals(java.util.Set<Signal> served) {
    return new ReceiverConfig(host, httpPort, grpcPort, authToken, tls, maxRequestBytes, maxInFlightBytes, maxRecordBytes,
        kafkaBootstrapServers, deliveryTimeout, topics, instances, compression, linger, served);
  }

  public boolean serves(Signal signal) {
    return signals.contains(signal);
  }

  /** Why {@code signal} is refused: names what this collector serves and where to change it. */
  public String notServed(Signal signal) {
    return "this collector serves " + Signal.labels(signals) + " only (--signals / COLLECTOR_SIGNALS); send "
        + signal.label() + " to a collector that serves them";
  }

  /** {@code https} when the ports serve TLS, else {@code http}. */
  public String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  public String topic(Signal signal) {
    return topics.topic(signal);
  }
}
