package io.hoptrace.faults.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.load.json.Json;
import io.hoptrace.load.otlp.SpanFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The content comparison: a row as sent passes; a wrong status, attribute, timestamp or event does not. */
class StoredContentTest {
  private static final long NOW = 1_764_000_000_000_000_000L;

  /** The row ClickHouse would answer (JSONEachRow) for the expected span, with one column replaced. */
  private static Json.Obj row(StoredContent.Expected e, String column, Object value) {
    StringBuilder b = new StringBuilder("{\"SpanId\":").append(Json.quote(e.spanId()));
    for (Map.Entry<String, Object> c : e.columns().entrySet()) {
      b.append(',').append(Json.quote(c.getKey())).append(':').append(json(c.getKey().equals(column) ? value : c.getValue()));
    }
    return Json.object(b.append('}').toString());
  }

  private static String json(Object v) {
    if (v instanceof Map<?, ?> m) {
      return m.entrySet().stream().map(e -> Json.quote(String.valueOf(e.getKey())) + ":" + json(e.getValue()))
          .collect(Collectors.joining(",", "{", "}"));
    }
    if (v instanceof List<?> l) {
      return l.stream().map(StoredContentTest::json).collect(Collectors.joining(",", "[", "]"));
    }
    return Json.quote(String.valueOf(v));
  }

  private static StoredContent.Expected refusal() {
    // trace 0 of a request is one of inventory's refusals: status Error, an exception event
    return StoredContent.expected(new SpanFactory("content").request(3, 4, NOW)).values().stream()
        .filter(e -> "Error".equals(e.columns().get("StatusCode"))).findFirst().orElseThrow();
  }

  @Test
  void theSpansOfARequestAreExpectedWithTheirContentAndEvents() {
    Map<String, StoredContent.Expected> all = StoredContent.expected(new SpanFactory("content").request(3, 4, NOW));
    assertThat(all).hasSize(20);
    StoredContent.Expected e = refusal();
    assertThat(e.columns()).containsEntry("SpanKind", "Consumer").containsEntry("StatusMessage", "insufficient stock")
        .containsEntry("ServiceName", "bench-content").containsEntry("EventNames", List.of("exception"));
    assertThat(((Map<?, ?>) e.columns().get("SpanAttributes")).get("messaging.kafka.offset")).isEqualTo("1000");
  }

  @Test
  void aRowAsSentHasNoDifference() {
    StoredContent.Expected e = refusal();
    assertThat(StoredContent.differences(e, row(e, "", null))).isEmpty();
  }

  @Test
  void aWrongStatusAttributeTimestampOrEventIsADifference() {
    StoredContent.Expected e = refusal();
    assertThat(StoredContent.differences(e, row(e, "StatusCode", "Unset"))).singleElement().asString()
        .contains("StatusCode: stored Unset, sent Error");
    Map<String, String> attributes = new java.util.TreeMap<>();
    ((Map<?, ?>) e.columns().get("SpanAttributes")).forEach((k, v) -> attributes.put((String) k, (String) v));
    attributes.put("hoptrace.stock.decision", "CONFIRMED");
    assertThat(StoredContent.differences(e, row(e, "SpanAttributes", attributes))).singleElement().asString().contains("SpanAttributes");
    assertThat(StoredContent.differences(e, row(e, "ts", Long.toString(NOW + 1)))).hasSize(1);
    assertThat(StoredContent.differences(e, row(e, "Duration", "0"))).hasSize(1);
    assertThat(StoredContent.differences(e, row(e, "EventNames", List.of()))).hasSize(1);
    assertThat(StoredContent.differences(e, row(e, "EventAttributes", List.of(Map.of())))).hasSize(1);
    assertThat(StoredContent.differences(e, row(e, "ParentSpanId", ""))).hasSize(1);
  }
}
