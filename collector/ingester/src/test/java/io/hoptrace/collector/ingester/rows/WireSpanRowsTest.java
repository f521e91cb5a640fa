package io.hoptrace.collector.ingester.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.RandomTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire-level span converter writes byte for byte what a decode with the generated classes writes. */
class WireSpanRowsTest {

  static ExportTraceServiceRequest rich() {
    long now = Otlp.nowNanos();
    Span span = Otlp.richSpan(Otlp.traceId(3, 4), now).toBuilder()
        .addAttributes(KeyValue.newBuilder().setKey("arr").setValue(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(AnyValue.newBuilder().setStringValue("x")).addValues(AnyValue.newBuilder().setDoubleValue(1e-9)))))
        .addAttributes(KeyValue.newBuilder().setKey("map").setValue(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(Otlp.attr("k", 5)))))
        .addAttributes(KeyValue.newBuilder().setKey("bytes").setValue(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("é!"))))
        .addAttributes(KeyValue.newBuilder().setKey("unset"))
        .addAttributes(Otlp.attr("ünïcode", "värde"))
        .build();
    Span yesterday = Span.newBuilder().setTraceId(Otlp.traceId(5, 6)).setSpanId(Otlp.spanId(9)).setName("old")
        .setStartTimeUnixNano(now - 86_400_000_000_000L).setEndTimeUnixNano(now - 86_400_000_000_000L + 5).build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(Otlp.resource("a"))
            .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("s").setVersion("1")).addSpans(span).addSpans(yesterday))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setTraceId(Otlp.traceId(7, 8)).setSpanId(Otlp.spanId(1)))))
        .addResourceSpans(Otlp.traces("b", 42, 3, 4).getResourceSpans(0))
        .build();
  }

  @Test
  void sameRowsAsTheGeneratedClasses() throws Exception {
    byte[] req = rich().toByteArray();
    RowBatch expected = new RowBatch();
    RowBatch actual = new RowBatch();
    assertThat(new WireSpanRows().convert(req, actual)).isEqualTo(new SpanRows().convert(req, expected)).isEqualTo(15);
    assertThat(actual.parts().keySet()).containsExactlyElementsOf(expected.parts().keySet()).hasSize(3); // today, yesterday, and 1970 for the span without a time
    for (Map.Entry<RowBatch.Key, RowBinary> e : expected.parts().entrySet()) {
      assertThat(actual.parts().get(e.getKey()).toByteArray()).isEqualTo(e.getValue().toByteArray());
      assertThat(actual.parts().get(e.getKey()).rows()).isEqualTo(e.getValue().rows());
    }
  }

  @Test
  void everyColumnEqualsTheGeneratedClassesOnRandomRequests() throws Exception {
    int rows = 0;
    for (int seed = 0; seed < 1500; seed++) {
      RandomTraces random = new RandomTraces(seed);
      byte[] req = random.encode(random.request());
      RowBatch expected = new RowBatch();
      RowBatch actual = new RowBatch();
      int n = new SpanRows().convert(req, expected); // ExportTraceServiceRequest.parseFrom, then the generated getters
      assertThat(new WireSpanRows().convert(req, actual)).as("seed %d: rows", seed).isEqualTo(n);
      assertThat(actual.parts().keySet()).as("seed %d: days", seed).containsExactlyElementsOf(expected.parts().keySet());
      for (Map.Entry<RowBatch.Key, RowBinary> e : expected.parts().entrySet()) {
        List<List<Object>> want = TraceRows.read(e.getValue().toByteArray());
        List<List<Object>> got = TraceRows.read(actual.parts().get(e.getKey()).toByteArray());
        assertThat(got).as("seed %d: rows of %s", seed, e.getKey()).hasSameSizeAs(want);
        for (int r = 0; r < want.size(); r++) {
          for (int col = 0; col < Table.TRACES.columns().size(); col++) {
            assertThat(got.get(r).get(col)).as("seed %d, row %d, column %s", seed, r, Table.TRACES.columns().get(col)).isEqualTo(want.get(r).get(col));
          }
        }
        assertThat(actual.parts().get(e.getKey()).toByteArray()).as("seed %d: the RowBinary bytes", seed).isEqualTo(e.getValue().toByteArray());
        rows += want.size();
      }
    }
    assertThat(rows).as("rows compared").isGreaterThan(5_000);
  }

  @Test
  void aTruncatedRecordFailsAndLeavesNoRows() throws Exception {
    RowBatch out = new RowBatch();
    new WireSpanRows().convert(Otlp.traces("ok", 1, 1, 2).toByteArray(), out);
    byte[] req = rich().toByteArray();
    byte[] cut = java.util.Arrays.copyOf(req, req.length - 7);
    assertThatThrownBy(() -> new WireSpanRows().convert(cut, out)).isInstanceOf(InvalidProtocolBufferException.class);
    assertThat(out.rowCount()).isEqualTo(2);
    assertThat(out.parts()).hasSize(1);
  }

  /**
   * The ingester hands the converters Kafka's own slices of the fetched records (docs/adr/017): a value
   * inside a larger array, with other records' bytes around it. Both converters read exactly the slice.
   */
  @Test
  void aValueInsideALargerBufferIsReadInPlaceAndOnlyWithinItsBounds() throws Exception {
    java.util.Random noise = new java.util.Random(17);
    for (int seed = 0; seed < 300; seed++) {
      RandomTraces random = new RandomTraces(seed);
      byte[] req = random.encode(random.request());
      byte[] around = rich().toByteArray(); // valid protobuf after the value: read past the end, it would add rows
      byte[] buf = new byte[7 + req.length + around.length];
      noise.nextBytes(buf);
      System.arraycopy(req, 0, buf, 7, req.length);
      System.arraycopy(around, 0, buf, 7 + req.length, around.length);
      java.nio.ByteBuffer slice = java.nio.ByteBuffer.wrap(buf, 7, req.length).slice();
      for (RecordConverter converter : List.<RecordConverter>of(new WireSpanRows(), new SpanRows())) {
        RowBatch whole = new RowBatch();
        RowBatch inPlace = new RowBatch();
        assertThat(converter.convert(slice, inPlace)).as("seed %d, %s: rows", seed, converter).isEqualTo(converter.convert(req, whole));
        assertThat(inPlace.parts().keySet()).as("seed %d: days", seed).containsExactlyElementsOf(whole.parts().keySet());
        for (Map.Entry<RowBatch.Key, RowBinary> e : whole.parts().entrySet()) {
          assertThat(inPlace.parts().get(e.getKey()).toByteArray()).as("seed %d, %s: bytes", seed, converter).isEqualTo(e.getValue().toByteArray());
        }
      }
      assertThat(slice.position()).as("the slice is not consumed (refused rows convert it again)").isZero();
    }
    byte[] req = rich().toByteArray();
    byte[] buf = java.util.Arrays.copyOf(req, req.length + 16);
    java.nio.ByteBuffer cut = java.nio.ByteBuffer.wrap(buf, 0, req.length - 7).slice(); // the rest of the value follows in the array
    assertThatThrownBy(() -> new WireSpanRows().convert(cut, new RowBatch())).isInstanceOf(InvalidProtocolBufferException.class);
  }
}
