package io.hoptrace.collector.query.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The span tree and Kafka hops from rows as ClickHouse returns them, including the awkward cases. */
class TraceAssemblerTest {

  static JsonObject row(String id, String parent, String kind, long startNs, long durationNs, JsonObject attributes) {
    return new JsonObject().put("start_ns", startNs).put("SpanId", id).put("ParentSpanId", parent).put("TraceState", "")
        .put("SpanName", id + " op").put("SpanKind", kind).put("ServiceName", "svc").put("ResourceAttributes", new JsonObject())
        .put("ScopeName", "").put("ScopeVersion", "").put("SpanAttributes", attributes).put("Duration", durationNs)
        .put("StatusCode", "Unset").put("StatusMessage", "").put("event_ns", new JsonArray()).put("event_names", new JsonArray())
        .put("event_attributes", new JsonArray()).put("link_trace_ids", new JsonArray()).put("link_span_ids", new JsonArray())
        .put("link_states", new JsonArray()).put("link_attributes", new JsonArray());
  }

  static JsonObject kafka(String topic) {
    return new JsonObject().put("messaging.system", "kafka").put("messaging.destination.name", topic)
        .put("messaging.destination.partition.id", "2").put("messaging.kafka.offset", "9");
  }

  static List<String> tree(JsonObject trace) {
    JsonArray spans = trace.getJsonArray("spans");
    return IntStream.range(0, spans.size()).mapToObj(spans::getJsonObject)
        .map(s -> "  ".repeat(s.getInteger("depth")) + s.getString("spanId")).toList();
  }

  @Test
  void aConsumerThatStartedBeforeTheAcknowledgementIsMeasuredFromThePublishStart() {
    // on one machine the consumer often gets the record before the producer's send callback ran
    JsonObject t = TraceAssembler.assemble(new TraceReader.TraceRows("t", List.of(
        row("root", "", "Server", 1_000, 50_000, new JsonObject()),
        row("pub", "root", "Producer", 2_000, 10_000, kafka("stock-reductions")),
        row("con", "pub", "Consumer", 9_000, 5_000, kafka("stock-reductions"))), List.of(), List.of()));
    JsonObject hop = t.getJsonArray("hops").getJsonObject(0);
    assertThat(hop.getString("waitMeasuredFrom")).isEqualTo("producer start");
    assertThat(hop.getLong("waitNs")).isEqualTo(7_000);
    assertThat(hop.getLong("publishToProcessNs")).isEqualTo(7_000);
    assertThat(hop.getString("partition")).isEqualTo("2");
  }

  @Test
  void duplicatesOrphansAndCyclesAreShownNotLostOrLooped() {
    JsonObject t = TraceAssembler.assemble(new TraceReader.TraceRows("t", List.of(
        row("b", "a", "Internal", 3, 1, new JsonObject()),
        row("a", "", "Server", 1, 10, new JsonObject()),
        row("a", "", "Server", 1, 10, new JsonObject()), // delivered twice
        row("orphan", "gone", "Consumer", 5, 1, new JsonObject()),
        row("x", "y", "Internal", 6, 1, new JsonObject()),
        row("y", "x", "Internal", 7, 1, new JsonObject())), List.of(), List.of()));
    assertThat(t.getInteger("spanCount")).isEqualTo(5);
    assertThat(tree(t)).containsExactly("a", "  b", "orphan", "x", "y");
    assertThat(t.getJsonArray("spans").getJsonObject(2).getBoolean("parentMissing")).isTrue();
    assertThat(t.getJsonArray("hops")).isEmpty(); // a consumer without its producer in the trace is no hop
  }

  @Test
  void siblingsAreOrderedByStartAndOffsetsAreFromTheTraceStart() {
    JsonObject t = TraceAssembler.assemble(new TraceReader.TraceRows("t", List.of(
        row("root", "", "Server", 100, 100, new JsonObject()),
        row("late", "root", "Client", 150, 10, new JsonObject()),
        row("early", "root", "Client", 120, 10, new JsonObject())), List.of(), List.of()));
    assertThat(tree(t)).containsExactly("root", "  early", "  late");
    assertThat(t.getJsonArray("spans").getJsonObject(1).getLong("offsetNs")).isEqualTo(20);
    assertThat(t.getLong("durationNs")).isEqualTo(100);
  }
}
