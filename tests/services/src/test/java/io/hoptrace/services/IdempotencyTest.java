package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.kafka.replay.ReplayRange;
import io.hoptrace.kafka.replay.TopicReplayer;
import io.hoptrace.process.Poll;
import io.hoptrace.services.ServicesUnderTest.Response;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A redelivered request and a full replay of stock-reductions never reduce stock twice. */
@ExtendWith(RealInfrastructure.class)
class IdempotencyTest {
  private static final AttributeKey<String> REPLAY_OF = AttributeKey.stringKey("hoptrace.replay.of");
  private static final AttributeKey<Boolean> DUPLICATE_RESULT = AttributeKey.booleanKey("hoptrace.order.duplicate_result");

  private ServicesUnderTest services;

  @AfterEach
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void aRequestDeliveredTwiceAndAFullReplayLeaveStockUnchanged(Infrastructure infra) throws Exception {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("rope", 10)).start();
    Response confirmed = services.placeOrder("rope", 3);
    Response rejected = services.placeOrder("rope", 20);
    assertThat(confirmed.json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(rejected.json().getString("status")).isEqualTo("REJECTED");
    assertThat(services.stockOf("rope")).isEqualTo(7);
    List<Object> ordersBefore = services.order("/list-orders").json().getJsonArray("orders").getList();

    // 1. the same request delivered twice: an exact copy of the record (key, value, headers)
    String orderId = confirmed.json().getString("orderId");
    ConsumerRecord<String, String> original = Records.all(services.kafka, services.requests).stream()
        .filter(r -> new JsonObject(r.value()).getString("orderId").equals(orderId)).findFirst().orElseThrow();
    RecordMetadata copy;
    try (KafkaProducer<String, String> producer = producer()) {
      copy = producer.send(new ProducerRecord<>(services.requests, original.partition(), original.key(), original.value(), original.headers())).get();
    }
    awaitInventoryCommittedPast(new TopicPartition(services.requests, copy.partition()), copy.offset());
    Poll.until("order to ignore the repeated result", Duration.ofSeconds(20), Duration.ofMillis(50), () -> duplicateResults() >= 1);

    assertThat(services.stockOf("rope")).isEqualTo(7);
    assertThat(services.order("/list-orders").json().getJsonArray("orders").getList()).isEqualTo(ordersBefore);

    // 2. a full replay of stock-reductions from the earliest offset, with the project's replay tool
    TopicReplayer replayer = new TopicReplayer(services.kafka);
    TopicReplayer.Result replay = replayer.replay(replayer.plan(new ReplayRange(services.requests, Optional.empty(), Optional.empty())), (p, d, t) -> { });
    assertThat(replay.records()).isEqualTo(3);
    assertThat(replayer.awaitConsumers(replay, services.requests, Duration.ofSeconds(60), (p, d, t) -> { })).isEmpty();
    Poll.until("order to ignore the replayed results", Duration.ofSeconds(20), Duration.ofMillis(50), () -> duplicateResults() >= 4);

    assertThat(services.stockOf("rope")).isEqualTo(7);
    assertThat(services.order("/list-orders").json().getJsonArray("orders").getList()).isEqualTo(ordersBefore);

    // the replayed processing is a new trace, linked to the original request's context
    Poll.until("inventory's spans of the replayed requests to end", Duration.ofSeconds(20), Duration.ofMillis(50),
        () -> replayedRequestSpans().size() >= 3);
    List<SpanData> replayed = replayedRequestSpans();
    assertThat(replayed).hasSize(3);
    SpanData replayOfConfirmed = replayed.stream()
        .filter(s -> s.getLinks().stream().anyMatch(l -> l.getSpanContext().getTraceId().equals(confirmed.json().getString("traceId"))))
        .findFirst().orElseThrow();
    assertThat(replayOfConfirmed.getTraceId()).isNotEqualTo(confirmed.json().getString("traceId"));
    assertThat(replayOfConfirmed.getParentSpanContext().isValid()).isFalse();
    assertThat(replayOfConfirmed.getAttributes().get(AttributeKey.stringKey("hoptrace.replay.id"))).isEqualTo(replay.replayId());
  }

  private List<SpanData> replayedRequestSpans() {
    return services.spans.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CONSUMER && s.getName().equals(services.requests + " process"))
        .filter(s -> s.getAttributes().get(REPLAY_OF) != null)
        .toList();
  }

  private long duplicateResults() {
    return services.spans.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CONSUMER && s.getName().equals(services.results + " process"))
        .filter(s -> Boolean.TRUE.equals(s.getAttributes().get(DUPLICATE_RESULT)))
        .count();
  }

  private void awaitInventoryCommittedPast(TopicPartition tp, long offset) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka);
    try (Admin admin = Admin.create(p)) {
      Poll.until("inventory to commit past " + tp + "@" + offset, Duration.ofSeconds(30), Duration.ofMillis(50), () -> {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(services.group).partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS).get(tp);
        return committed != null && committed.offset() > offset;
      });
    }
  }

  private KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }
}
