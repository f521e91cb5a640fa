package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.Http;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.kafka.Topics;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A systemic error on a real ClickHouse: otel_traces renamed away while spans flow. Ingestion stalls
 * loudly (health 503 with an ingestion check naming the table and the error), nothing is
 * dead-lettered; once the table is back it resumes by itself and every span is stored exactly once.
 */
@ExtendWith(RealInfrastructure.class)
class StalledTableTest {

  @Test
  void aMissingTableStallsWithHealth503AndRecoversWithEverySpanOnce(Infrastructure infra) throws Exception {
    try (TestCollector c = TestCollector.on(infra, "stalled").with("COLLECTOR_RETRY_MAX_BACKOFF", "1s").start()) {
      String table = c.clickHouse.database() + ".otel_traces";
      AtomicLong acked = new AtomicLong();
      AtomicReference<String> refused = new AtomicReference<>("");
      AtomicBoolean running = new AtomicBoolean(true);
      Thread load = new Thread(() -> {
        for (long seed = 1; running.get(); seed++) {
          try {
            HttpResponse<String> r = Http.post(c.httpUrl() + "/v1/traces", Otlp.traces("stalled", seed, 2, 5).toByteArray());
            if (r.statusCode() == 200) {
              acked.addAndGet(10);
            } else {
              refused.set(r.statusCode() + " " + r.body());
            }
            Thread.sleep(50);
          } catch (Exception e) {
            refused.set(e.toString());
            return;
          }
        }
      }, "stalled-load");
      load.start();
      try {
        Poll.until("spans stored before the table goes", Duration.ofSeconds(60), Duration.ofMillis(200),
            () -> c.count("SELECT count() FROM otel_traces") >= 100);
        c.query("RENAME TABLE otel_traces TO otel_traces_away");

        JsonObject[] seen = new JsonObject[1];
        Poll.until("health 503 with the ingestion check down", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
          HttpResponse<String> h = Http.get(c.healthUrl());
          seen[0] = new JsonObject(h.body());
          return h.statusCode() == 503 && "DOWN".equals(seen[0].getJsonObject("checks").getJsonObject("ingestion").getString("status"));
        });
        String reason = seen[0].getJsonObject("checks").getJsonObject("ingestion").getString("reason");
        assertThat(reason).contains(table).contains("code 60 UNKNOWN_TABLE");
        long whileStalled = acked.get();
        Poll.until("more spans acknowledged while stalled", Duration.ofSeconds(30), Duration.ofMillis(100),
            () -> acked.get() >= whileStalled + 100);

        c.query("RENAME TABLE otel_traces_away TO otel_traces");
        Poll.until("health 200 again", Duration.ofSeconds(60), Duration.ofMillis(200), () -> Http.get(c.healthUrl()).statusCode() == 200);
      } finally {
        running.set(false);
        load.join(30_000);
      }
      assertThat(refused.get()).as("every export acknowledged").isEmpty();
      c.await("SELECT count() FROM otel_traces", acked.get(), Duration.ofSeconds(90));
      assertThat(c.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces")).isEqualTo(acked.get());
      assertThat(endOffset(c, Topics.deadLetter(c.topic(Signal.TRACES)))).as("nothing dead-lettered").isZero();
    }
  }

  private static long endOffset(TestCollector c, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      return consumer.endOffsets(List.of(tp)).get(tp);
    }
  }

}
