package io.hoptrace.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.Http;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.kafka.embedded.EmbeddedKafka;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Kafka stopped: the receiver answers 503 + Retry-After, 429 over the in-flight bound, and loses nothing it acknowledged. */
@ExtendWith(RealInfrastructure.class)
class KafkaOutageTest {
  @TempDir Path dir;

  @Test
  void kafkaDownGives503AndAcknowledgedSpansSurvive(Infrastructure infra) throws Exception {
    try (EmbeddedKafka kafka = Infrastructure.privateKafka(dir.resolve("kafka"))) {
      try (TestCollector c = new TestCollector(kafka.bootstrapServers(), infra.migratedDatabase("kafka_outage"), "kafka-outage")
          .with("COLLECTOR_KAFKA_DELIVERY_TIMEOUT", "3s")
          .with("COLLECTOR_MAX_REQUEST_BYTES", "150000")
          .with("COLLECTOR_MAX_INFLIGHT_BYTES", "200000")
          .start()) {
        String traces = c.httpUrl() + "/v1/traces";
        // the first produce also fetches metadata from a broker that has just started; on a busy machine
        // that can exceed the short delivery timeout this test needs, so wait until the path is warm
        Poll.until("the receiver's first acknowledgement", Duration.ofSeconds(60), Duration.ofMillis(250),
            () -> Http.post(traces, Otlp.traces("warm-up", 7, 1, 1).toByteArray()).statusCode() == 200);
        assertThat(Http.post(traces, Otlp.traces("before", 1, 10, 10).toByteArray()).statusCode()).isEqualTo(200);

        kafka.stop();
        HttpResponse<String> down = Http.post(traces, Otlp.traces("during", 2, 10, 10).toByteArray());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).contains("5");
        assertThat(down.body()).contains("Kafka did not acknowledge"); // google.rpc.Status (protobuf) with the reason
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
          var grpc = io.hoptrace.collector.GrpcCall.export(vertx, c.grpcPort(), io.hoptrace.collector.otlp.Signal.TRACES,
              Otlp.traces("during-grpc", 6, 2, 2).toByteArray(), null, false);
          assertThat(grpc.status()).isEqualTo(io.vertx.grpc.common.GrpcStatus.UNAVAILABLE);
          assertThat(grpc.statusMessage()).contains("Kafka did not acknowledge");
          // a trailers-only answer carries its trailers in the headers block
          String details = grpc.trailers().contains("grpc-status-details-bin") ? grpc.trailers().get("grpc-status-details-bin")
              : grpc.headers().get("grpc-status-details-bin");
          assertThat(details).as("RetryInfo for OTLP clients").isNotBlank();

          // the in-flight bound on the gRPC port: of two large exports, the second finds the bound taken
          byte[] bigGrpc = Otlp.traces("big-grpc", 8, 450, 2).toByteArray();
          List<CompletableFuture<io.vertx.grpc.client.GrpcClientResponse<io.vertx.core.buffer.Buffer, io.vertx.core.buffer.Buffer>>> calls =
              Stream.of(bigGrpc, Otlp.traces("big-grpc", 9, 450, 2).toByteArray())
                  .map(body -> CompletableFuture.supplyAsync(() -> {
                    try {
                      return io.hoptrace.collector.GrpcCall.export(vertx, c.grpcPort(), io.hoptrace.collector.otlp.Signal.TRACES, body, null, false);
                    } catch (Exception e) {
                      throw new java.util.concurrent.CompletionException(e);
                    }
                  }))
                  .toList();
          var answers = calls.stream().map(CompletableFuture::join).toList();
          assertThat(answers.stream().map(r -> r.status())).containsExactlyInAnyOrder(
              io.vertx.grpc.common.GrpcStatus.RESOURCE_EXHAUSTED, io.vertx.grpc.common.GrpcStatus.UNAVAILABLE);
          var exhausted = answers.stream().filter(r -> r.status() == io.vertx.grpc.common.GrpcStatus.RESOURCE_EXHAUSTED).findFirst().orElseThrow();
          String exhaustedDetails = exhausted.trailers().contains("grpc-status-details-bin") ? exhausted.trailers().get("grpc-status-details-bin")
              : exhausted.headers().get("grpc-status-details-bin");
          assertThat(exhaustedDetails).as("RESOURCE_EXHAUSTED is retryable for OTLP clients only with RetryInfo").isNotBlank();
        } finally {
          vertx.close();
        }

        // two large requests while Kafka is away: whichever comes second finds the bound taken by the first
        byte[] big = Otlp.traces("big", 3, 450, 2).toByteArray();
        assertThat(big.length).isBetween(110_000, 150_000);
        CompletableFuture<HttpResponse<String>> first = Http.postAsync(traces, big);
        CompletableFuture<HttpResponse<String>> second = Http.postAsync(traces, Otlp.traces("big", 4, 450, 2).toByteArray());
        List<Integer> statuses = Stream.of(first.get(), second.get()).map(HttpResponse::statusCode).sorted().toList();
        assertThat(statuses).containsExactly(429, 503);

        kafka.restart();
        Poll.until("health to see Kafka again", Duration.ofSeconds(60), Duration.ofMillis(250),
            () -> Http.get(c.healthUrl()).body().contains("broker(s) reachable"));
        // a client retries on 503 (as OTLP exporters do); only the acknowledged attempt counts
        Poll.until("the receiver to accept again", Duration.ofSeconds(60), Duration.ofMillis(500),
            () -> Http.post(traces, Otlp.traces("after", 5, 10, 10).toByteArray()).statusCode() == 200);
        c.await("SELECT count() FROM otel_traces WHERE ServiceName = 'before'", 100, Duration.ofSeconds(60));
        c.await("SELECT uniqExact(TraceId, SpanId) FROM otel_traces WHERE ServiceName = 'after'", 100, Duration.ofSeconds(60));
        assertThat(c.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces WHERE ServiceName = 'before'")).isEqualTo(100);
      }
    }
  }
}
