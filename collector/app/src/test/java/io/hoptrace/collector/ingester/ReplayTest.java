package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.Http;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.kafka.replay.ReplayHeaders;
import io.hoptrace.kafka.replay.ReplayRange;
import io.hoptrace.kafka.replay.TopicReplayer;
import java.util.Optional;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replaying an already ingested range (what {@code ./stack replay} does: the same records re-produced
 * with {@code hoptrace.replay.*} headers) leaves every row count unchanged; replayed records that
 * were never stored are added.
 */
@ExtendWith(RealInfrastructure.class)
class ReplayTest {

  @Test
  void replayOfAnIngestedRangeChangesNoRowCount(Infrastructure infra) throws Exception {
    try (TestCollector c = TestCollector.on(infra, "replay").start()) {
      assertThat(Http.post(c.httpUrl() + "/v1/traces", Otlp.traces("replay", 1, 30, 5).toByteArray()).statusCode()).isEqualTo(200);
      assertThat(Http.post(c.httpUrl() + "/v1/logs", Otlp.logs("replay", 40, Otlp.traceId(1, 1)).toByteArray()).statusCode()).isEqualTo(200);
      assertThat(Http.post(c.httpUrl() + "/v1/metrics", Otlp.allMetricTypes("replay").toByteArray()).statusCode()).isEqualTo(200);
      String[] counts = {"otel_traces", "otel_traces_trace_id_ts", "otel_logs", "otel_metrics_gauge", "otel_metrics_sum",
          "otel_metrics_histogram", "otel_metrics_exponential_histogram", "otel_metrics_summary"};
      long[] expected = {150, 30, 40, 1, 1, 1, 1, 1};
      for (int i = 0; i < counts.length; i++) {
        c.await("SELECT count() FROM " + counts[i], expected[i], Duration.ofSeconds(60));
      }

      for (Signal s : Signal.values()) {
        replay(c, c.topic(s), c.env.get("COLLECTOR_GROUP_PREFIX") + "-" + s.label());
      }
      for (int i = 0; i < counts.length; i++) {
        assertThat(c.count("SELECT count() FROM " + counts[i])).as(counts[i]).isEqualTo(expected[i]);
      }

      // a replayed record whose data was never stored does land
      try (KafkaProducer<byte[], byte[]> p = producer(c.kafka)) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(c.topic(Signal.TRACES), 0, null, Otlp.traces("replay-new", 2, 2, 2).toByteArray());
        r.headers().add(new RecordHeader(ReplayHeaders.OF, "elsewhere/0/0".getBytes(StandardCharsets.UTF_8)));
        p.send(r).get();
      }
      c.await("SELECT count() FROM otel_traces WHERE ServiceName = 'replay-new'", 4, Duration.ofSeconds(60));
      assertThat(c.count("SELECT count() FROM otel_traces")).isEqualTo(154);
    }
  }

  /** The project's replay tool over the whole topic, waiting (as ./stack replay does) until the ingester's group caught up. */
  static void replay(TestCollector c, String topic, String group) {
    TopicReplayer replayer = new TopicReplayer(c.kafka);
    TopicReplayer.Plan plan = replayer.plan(new ReplayRange(topic, Optional.empty(), Optional.empty()));
    TopicReplayer.Result result = replayer.replay(plan, (phase, done, total) -> { });
    assertThat(result.records()).isPositive();
    java.util.Set<String> waitedOn = new java.util.HashSet<>();
    List<String> behind = replayer.awaitConsumers(result, topic, Duration.ofSeconds(60), (phase, done, total) -> waitedOn.add(phase));
    assertThat(behind).as("groups still behind").isEmpty();
    assertThat(waitedOn).anyMatch(phase -> phase.contains(group));
  }

  static KafkaProducer<byte[], byte[]> producer(String kafka) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer());
  }
}
