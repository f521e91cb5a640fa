package io.hoptrace.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.GrpcCall;
import io.hoptrace.collector.Http;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A dedicated collector ({@code --signals traces}): its receiver refuses metrics and logs with 404 /
 * UNIMPLEMENTED naming what it serves, and its ingester consumes the spans topic only (metrics
 * written to Kafka by someone else stay there, for a metrics ingester).
 */
@ExtendWith(RealInfrastructure.class)
class DedicatedCollectorTest {
  @Test
  void aTracesCollectorRefusesOtherSignalsAndConsumesOnlySpans(Infrastructure infra) throws Exception {
    try (TestCollector c = TestCollector.on(infra, "dedicated-traces")) {
      c.createTopics();
      c.start("--signals", "traces");

      HttpResponse<String> metrics = Http.post(c.httpUrl() + "/v1/metrics", Otlp.allMetricTypes("svc").toByteArray());
      assertThat(metrics.statusCode()).isEqualTo(404);
      assertThat(metrics.body()).contains("this collector serves traces only").contains("COLLECTOR_SIGNALS");
      HttpResponse<String> logs = Http.post(c.httpUrl() + "/v1/logs", Otlp.logs("svc", 3, Otlp.traceId(1, 2)).toByteArray());
      assertThat(logs.statusCode()).isEqualTo(404);
      Vertx vertx = Vertx.vertx();
      try {
        var grpc = GrpcCall.export(vertx, c.grpcPort(), Signal.METRICS, Otlp.allMetricTypes("svc").toByteArray(), null, false);
        assertThat(grpc.status()).isEqualTo(GrpcStatus.UNIMPLEMENTED);
        assertThat(grpc.statusMessage()).contains("serves traces only");
      } finally {
        vertx.close();
      }

      assertThat(Http.post(c.httpUrl() + "/v1/traces", Otlp.traces("dedicated", 11, 4, 5).toByteArray()).statusCode()).isEqualTo(200);
      // metrics that reached Kafka another way (a metrics receiver): not this ingester's business
      Properties p = new Properties();
      p.put("bootstrap.servers", c.kafka);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(c.topic(Signal.METRICS), Otlp.allMetricTypes("svc").toByteArray())).get(30, TimeUnit.SECONDS);
      }
      c.await("SELECT count() FROM otel_traces WHERE ServiceName = 'dedicated'", 20, Duration.ofSeconds(90));

      try (Admin admin = TopicSetup.admin(c.kafka)) {
        Set<String> groups = new java.util.HashSet<>();
        for (ConsumerGroupListing g : admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS)) {
          groups.add(g.groupId());
        }
        assertThat(groups).contains(c.prefix + "-traces").doesNotContain(c.prefix + "-metrics", c.prefix + "-logs");
      }
      assertThat(c.count("SELECT count() FROM otel_metrics_gauge WHERE ServiceName = 'svc'")).isZero();
      HttpResponse<String> health = Http.get(c.healthUrl());
      assertThat(health.body()).contains("\"signals\":[\"traces\"]");
    }
  }
}
