package io.hoptrace.inventory.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.inventory.InventoryConfig;
import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.hoptrace.inventory.stock.StockLedger;
import io.hoptrace.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Decisions and what they send, with their spans, without Kafka: the outbox keeps what would be sent. */
class RequestProcessorTest {
  static final InventoryConfig CONFIG = new InventoryConfig("127.0.0.1", 0, "127.0.0.1:1", "requests", "results", "restocks", "stock",
      "decisions", "inventory", "inventory-stock-keeper", Optional.empty(), Duration.ofSeconds(5), Duration.ofDays(7));
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final TestTelemetry telemetry = new TestTelemetry();
  private final StockLedger ledger = new StockLedger();
  private final List<ProducerRecord<String, String>> sent = new ArrayList<>();
  private RuntimeException sendFails;
  private RequestProcessor processor;

  @BeforeEach
  void seed() {
    ledger.restore(new Product("phone", "Phone", 1.0, 5));
    ledger.commit();
    RequestProcessor.Outbox outbox = (record, whenSent) -> {
      if (sendFails != null && record.topic().equals("results")) {
        throw sendFails;
      }
      sent.add(record);
      if (whenSent != null) {
        whenSent.onCompletion(new RecordMetadata(new TopicPartition(record.topic(), 1), 40, 0, 0, 0, 0), null);
      }
    };
    processor = new RequestProcessor(ledger, outbox, new StateTopics(CONFIG), KafkaTracing.create(telemetry.otel),
        new InventoryMetrics(telemetry.otel.getMeter("test"), "inventory", new StockView()), "inventory", "results",
        Clock.fixed(NOW, ZoneOffset.UTC));
    ledger.begin();
  }

  @AfterEach
  void close() {
    telemetry.close();
  }

  @Test
  void aNewRequestWritesTheStockTheDecisionAndTheResultUnderItsConsumerSpan() {
    process(request("o-1", "phone", 2));

    assertThat(sent).extracting(ProducerRecord::topic).containsExactly("stock", "decisions", "results");
    assertThat(new JsonObject(sent.get(0).value()).getInteger("stock")).isEqualTo(3);
    JsonObject result = new JsonObject(sent.get(2).value());
    assertThat(result.getString("orderId")).isEqualTo("o-1");
    assertThat(result.getString("status")).isEqualTo("CONFIRMED");
    assertThat(sent.get(2).key()).isEqualTo("o-1");

    SpanData process = telemetry.finished("requests process");
    assertThat(process.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(process.getAttributes().get(AttributeKey.stringKey("hoptrace.order.id"))).isEqualTo("o-1");
    assertThat(process.getAttributes().get(AttributeKey.stringKey("hoptrace.stock.decision"))).isEqualTo("CONFIRMED");
    assertThat(process.getAttributes().get(AttributeKey.booleanKey("hoptrace.stock.duplicate"))).isFalse();
    SpanData publish = telemetry.finished("results publish");
    assertThat(publish.getParentSpanId()).isEqualTo(process.getSpanId());
    assertThat(header(sent.get(2), "traceparent")).startsWith("00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-");
    assertThat(header(sent.get(0), "traceparent")).as("state records are persistence, not a hop").isNull();
    assertThat(telemetry.point("hoptrace.inventory.decisions", Attributes.of(StockAttributes.DECISION, "CONFIRMED",
        StockAttributes.SOURCE, "kafka", StockAttributes.DUPLICATE, false))).isEqualTo(1L);
  }

  @Test
  void aRedeliveredRequestGetsTheSameAnswerAgainWithoutTouchingStock() {
    process(request("o-1", "phone", 2));
    ledger.commit();
    String first = sent.get(2).value();
    sent.clear();
    ledger.begin();

    process(request("o-1", "phone", 2));

    assertThat(sent).extracting(ProducerRecord::topic).containsExactly("results");
    assertThat(sent.get(0).value()).isEqualTo(first);
    assertThat(ledger.productsAsDecided().get("phone").stock()).isEqualTo(3);
    assertThat(telemetry.finished().stream().filter(s -> s.getName().equals("requests process")).toList().get(1)
        .getAttributes().get(AttributeKey.booleanKey("hoptrace.stock.duplicate"))).isTrue();
    assertThat(telemetry.point("hoptrace.inventory.decisions", Attributes.of(StockAttributes.DECISION, "CONFIRMED",
        StockAttributes.SOURCE, "kafka", StockAttributes.DUPLICATE, true))).isEqualTo(1L);
  }

  @Test
  void anUnreadableRequestSendsNothingAndMarksItsSpan() {
    process(record("not json"));

    assertThat(sent).isEmpty();
    assertThat(telemetry.finished("requests process").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(telemetry.finished("requests process").getStatus().getDescription()).isEqualTo("unreadable request: the value is not a JSON object");
  }

  @Test
  void anInvalidRequestWithAnIdIsRefusedForGoodAndAnswered() {
    process(record("{\"orderId\":\"o-2\",\"productId\":\"phone\",\"quantity\":\"2\"}"));

    assertThat(sent).extracting(ProducerRecord::topic).containsExactly("decisions", "results");
    JsonObject result = new JsonObject(sent.get(1).value());
    assertThat(result.getString("status")).isEqualTo("REJECTED");
    assertThat(result.getString("reason")).isEqualTo("invalid_request");
    assertThat(ledger.productsAsDecided().get("phone").stock()).isEqualTo(5);
  }

  @Test
  void aDirectReductionIsRecordedWithoutAResultAndARefusalOverHttpIsNotKept() {
    DirectReductions queue = new DirectReductions(telemetry.otel.getTracer("test"));
    queue.submit(new ReductionRequest("h-1", "phone", 4));
    queue.submit(new ReductionRequest("h-2", "phone", 4));
    List<DirectReduction> reductions = queue.drain();

    Decision confirmed = processor.apply(reductions.get(0));
    assertThat(sent).extracting(ProducerRecord::topic).containsExactly("stock", "decisions");
    sent.clear();
    Decision refused = processor.apply(reductions.get(1));
    reductions.forEach(r -> r.span().end());

    assertThat(confirmed.confirmed()).isTrue();
    assertThat(refused.reason()).isEqualTo("insufficient_stock");
    assertThat(sent).as("a refusal over HTTP is not final: nothing to record").isEmpty();
    assertThat(telemetry.finished()).extracting(s -> s.getAttributes().get(AttributeKey.stringKey("hoptrace.stock.decision")))
        .containsExactly("CONFIRMED", "REJECTED");
    assertThat(telemetry.point("hoptrace.inventory.decisions", Attributes.of(StockAttributes.DECISION, "REJECTED",
        StockAttributes.SOURCE, "http", StockAttributes.DUPLICATE, false))).isEqualTo(1L);
  }

  @Test
  void aResultThatCannotBeSentEndsItsPublishSpanWithTheErrorAndFailsTheTransaction() {
    sendFails = new KafkaException("Cannot perform send: the transaction failed");

    assertThatThrownBy(() -> process(request("o-1", "phone", 2))).isSameAs(sendFails);

    SpanData publish = telemetry.finished("results publish");
    assertThat(publish.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(publish.getStatus().getDescription()).isEqualTo("Cannot perform send: the transaction failed");
  }

  private void process(ConsumerRecord<String, String> r) {
    Span span = processor.startSpan(r);
    try {
      processor.process(r, span);
    } finally {
      span.end();
    }
  }

  private static ConsumerRecord<String, String> request(String orderId, String productId, int quantity) {
    return record(new JsonObject().put("orderId", orderId).put("productId", productId).put("quantity", quantity).encode());
  }

  private static ConsumerRecord<String, String> record(String value) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>("requests", 0, 7, 0, TimestampType.CREATE_TIME, 0, 0, "phone", value, headers, Optional.empty());
  }

  private static String header(ProducerRecord<String, String> r, String key) {
    return KafkaTracing.header(r.headers(), key);
  }
}
