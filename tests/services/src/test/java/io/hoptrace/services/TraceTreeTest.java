package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.process.Poll;
import io.hoptrace.services.ServicesUnderTest.Response;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One order, one trace: the five spans of the issue, their kinds, parents and messaging attributes, nothing else. */
@ExtendWith(RealInfrastructure.class)
class TraceTreeTest {
  private ServicesUnderTest services;

  @AfterEach
  void stop() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void oneOrderIsOneTraceOfFiveSpans(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("kite", 10)).start();

    Response r = services.placeOrder("kite", 1);
    assertThat(r.status()).isEqualTo(201);
    String traceId = r.json().getString("traceId");
    String orderId = r.json().getString("orderId");

    // spans end in their own threads: the SERVER span once the response is written (maybe after the client
    // read it), inventory's CONSUMER span once its commit returned (maybe after order read the result)
    Poll.until("the five spans of the order to end", Duration.ofSeconds(20), Duration.ofMillis(50), () -> trace(traceId).size() >= 5);
    List<SpanData> spans = trace(traceId);

    SpanData server = only(spans, SpanKind.SERVER, "POST /order-product");
    SpanData publish = only(spans, SpanKind.PRODUCER, services.requests + " publish");
    SpanData process = only(spans, SpanKind.CONSUMER, services.requests + " process");
    SpanData reply = only(spans, SpanKind.PRODUCER, services.results + " publish");
    SpanData complete = only(spans, SpanKind.CONSUMER, services.results + " process");
    assertThat(spans).as("nothing else in the trace: %s", spans).hasSize(5);

    assertThat(server.getParentSpanContext().isValid()).isFalse();
    assertThat(publish.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(process.getParentSpanId()).isEqualTo(publish.getSpanId());
    assertThat(reply.getParentSpanId()).isEqualTo(process.getSpanId());
    assertThat(complete.getParentSpanId()).isEqualTo(reply.getSpanId());

    assertThat(serviceOf(server)).isEqualTo("order");
    assertThat(serviceOf(publish)).isEqualTo("order");
    assertThat(serviceOf(process)).isEqualTo("inventory");
    assertThat(serviceOf(reply)).isEqualTo("inventory");
    assertThat(serviceOf(complete)).isEqualTo("order");

    assertThat(server.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/order-product");
    assertThat(r.headerTraceId()).isEqualTo(traceId);
    assertThat(r.traceparent().split("-")[2]).isEqualTo(server.getSpanId());

    assertMessaging(publish, services.requests, "send", "kite", null);
    assertMessaging(process, services.requests, "process", "kite", services.group);
    assertMessaging(reply, services.results, "send", orderId, null);
    assertMessaging(complete, services.results, "process", orderId, null);
    // where the request landed is what inventory read
    assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id")))
        .isEqualTo(publish.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id")));
    assertThat(process.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")))
        .isEqualTo(publish.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")));
    assertThat(complete.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")))
        .isEqualTo(reply.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")));
  }

  @Test
  void listingProductsThroughOrderIsOneTraceAcrossTheHttpHop(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("kite", 10)).start();

    Response r = services.order("/list-products");
    assertThat(r.status()).isEqualTo(200);
    String traceId = r.json().getString("traceId");

    Poll.until("the inventory SERVER span to end", Duration.ofSeconds(20), Duration.ofMillis(50),
        () -> trace(traceId).size() >= 3);
    List<SpanData> spans = trace(traceId);
    SpanData server = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER && "order".equals(serviceOf(s))).findFirst().orElseThrow();
    assertThat(server.getName()).isEqualTo("GET /list-products");
    assertThat(server.getParentSpanContext().isValid()).isFalse();
    SpanData client = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    SpanData inventory = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER && "inventory".equals(serviceOf(s))).findFirst().orElseThrow();
    assertThat(spans).hasSize(3);
    assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(inventory.getParentSpanId()).isEqualTo(client.getSpanId());
    assertThat(inventory.getName()).isEqualTo("GET /list-products");
  }

  private List<SpanData> trace(String traceId) {
    return services.spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }

  private static SpanData only(List<SpanData> spans, SpanKind kind, String name) {
    List<SpanData> found = spans.stream().filter(s -> s.getKind() == kind && s.getName().equals(name)).toList();
    assertThat(found).as("%s span '%s' in %s", kind, name, spans).hasSize(1);
    return found.get(0);
  }

  private static String serviceOf(SpanData s) {
    return s.getResource().getAttribute(AttributeKey.stringKey("service.name"));
  }

  private static void assertMessaging(SpanData s, String topic, String operation, String key, String group) {
    var a = s.getAttributes();
    assertThat(a.get(AttributeKey.stringKey("messaging.system"))).isEqualTo("kafka");
    assertThat(a.get(AttributeKey.stringKey("messaging.destination.name"))).isEqualTo(topic);
    assertThat(a.get(AttributeKey.stringKey("messaging.operation.type"))).isEqualTo(operation);
    assertThat(a.get(AttributeKey.stringKey("messaging.kafka.message.key"))).isEqualTo(key);
    assertThat(a.get(AttributeKey.stringKey("messaging.destination.partition.id"))).matches("[0-2]");
    assertThat(a.get(AttributeKey.longKey("messaging.kafka.offset"))).isNotNull().isGreaterThanOrEqualTo(0L);
    assertThat(a.get(AttributeKey.stringKey("messaging.consumer.group.name"))).isEqualTo(group);
  }
}
