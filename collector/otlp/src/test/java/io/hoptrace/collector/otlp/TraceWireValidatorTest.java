package io.hoptrace.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hoptrace.collector.otlp.Otlp;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire-level validator accepts and refuses exactly what a full decode plus the id checks would. */
class TraceWireValidatorTest {

  static ExportTraceServiceRequest request() {
    ExportTraceServiceRequest base = Otlp.traces("svc", 3, 4, 3);
    return base.toBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(Otlp.resource("r"))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(Otlp.richSpan(Otlp.traceId(1, 2), Otlp.nowNanos())))).build();
  }

  static boolean fullDecodeAccepts(byte[] b) {
    try {
      ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(b);
      OtlpDecoder.validate(Signal.TRACES, req);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  static boolean wireAccepts(byte[] b) {
    try {
      TraceWireValidator.validate(b);
      return true;
    } catch (InvalidOtlpException e) {
      return false;
    }
  }

  @Test
  void countsSpansOfAValidRequest() throws Exception {
    assertThat(TraceWireValidator.validate(request().toByteArray())).isEqualTo(13);
  }

  @Test
  void refusesBadIdsAndBadUtf8ByName() {
    Span bad = Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[5])).setSpanId(Otlp.spanId(1)).build();
    byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(bad))).build().toByteArray();
    assertThatThrownBy(() -> TraceWireValidator.validate(body)).hasMessageContaining("resourceSpans[0].scopeSpans[0].spans[0].traceId must be 16 bytes, got 5");

    byte[] name = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
        .addSpans(Span.newBuilder().setTraceId(Otlp.traceId(1, 1)).setSpanId(Otlp.spanId(1)).setName("~~")))).build().toByteArray();
    for (int i = 0; i + 1 < name.length; i++) {
      if (name[i] == '~' && name[i + 1] == '~') {
        name[i] = (byte) 0xC3; // a lead byte followed by '(' : not UTF-8
        name[i + 1] = '(';
      }
    }
    assertThat(fullDecodeAccepts(name)).isFalse();
    assertThatThrownBy(() -> TraceWireValidator.validate(name)).hasMessageContaining("name is not valid UTF-8");
  }

  @Test
  void agreesWithAFullDecodeOnRandomlyDamagedRequests() {
    byte[] valid = request().toByteArray();
    Random random = new Random(42);
    int refused = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] b = valid.clone();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(5) == 0) {
        b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
      }
      boolean full = fullDecodeAccepts(b);
      assertThat(wireAccepts(b)).as("round %d", round).isEqualTo(full);
      refused += full ? 0 : 1;
    }
    assertThat(refused).as("the damage was noticed at all").isGreaterThan(300);
  }

  /** Seeds for the random requests: every failure names its seed, and the seed alone reproduces it. */
  private static final int SEEDS = 2000;

  @Test
  void agreesWithAFullDecodeOnRandomRequests() throws Exception {
    int accepted = 0;
    int refused = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      RandomTraces random = new RandomTraces(seed);
      int mode = seed % 4;
      random.badIds(mode == 1); // valid protobuf, ids of wrong lengths now and then
      if (mode == 2) {
        random.corruptString(random.random().nextInt(40)); // one string (if there are that many) as invalid UTF-8
      }
      ExportTraceServiceRequest request = mode == 3 ? random.deepRequest(30 + random.random().nextInt(25)) : random.request();
      byte[] b = random.encode(request);
      boolean full = fullDecodeAccepts(b);
      assertThat(wireAccepts(b)).as("seed %d", seed).isEqualTo(full);
      if (full) {
        assertThat(TraceWireValidator.validate(b)).as("seed %d: spans counted", seed)
            .isEqualTo(OtlpDecoder.validate(Signal.TRACES, ExportTraceServiceRequest.parseFrom(b)));
        accepted++;
      } else {
        refused++;
      }
    }
    assertThat(accepted).as("valid requests among them").isGreaterThan(SEEDS / 3);
    assertThat(refused).as("invalid requests among them").isGreaterThan(SEEDS / 8);
  }

  @Test
  void agreesWithAFullDecodeOnDamagedRandomRequests() {
    int refused = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      RandomTraces random = new RandomTraces(seed);
      byte[] b = random.encode(random.request());
      if (b.length == 0) {
        continue;
      }
      Random damage = random.random();
      int flips = 1 + damage.nextInt(3);
      for (int f = 0; f < flips; f++) {
        b[damage.nextInt(b.length)] = (byte) damage.nextInt(256);
      }
      if (damage.nextInt(5) == 0) {
        b = java.util.Arrays.copyOf(b, damage.nextInt(b.length));
      }
      boolean full = fullDecodeAccepts(b);
      assertThat(wireAccepts(b)).as("seed %d", seed).isEqualTo(full);
      refused += full ? 0 : 1;
    }
    assertThat(refused).as("the damage was noticed at all").isGreaterThan(SEEDS / 5);
  }

  @Test
  void unknownGroupsCountTowardsTheDepthLimitAsInAFullDecode() throws Exception {
    for (int groups = 90; groups <= 100; groups++) {
      byte[] group = new byte[0];
      for (int i = 0; i < groups; i++) {
        group = Otlp.concat(Otlp.concat(new byte[] {(byte) 0xC3, 0x3E}, group), new byte[] {(byte) 0xC4, 0x3E}); // field 1000, start/end group
      }
      byte[] span = Otlp.concat(Span.newBuilder().setTraceId(Otlp.traceId(1, 1)).setSpanId(Otlp.spanId(1)).build().toByteArray(), group);
      byte[] b = Otlp.lengthDelimited(1, Otlp.lengthDelimited(2, Otlp.lengthDelimited(2, span)));
      assertThat(wireAccepts(b)).as("%d groups", groups).isEqualTo(fullDecodeAccepts(b));
    }
  }

  @Test
  void refusesNestingExactlyWhereAFullDecodeDoes() throws Exception {
    // found by the fault suite's fuzzer: 5000 nested key-value lists overflowed this validator's stack
    for (int depth = 25; depth <= 50; depth++) {
      for (boolean array : new boolean[] {false, true}) {
        byte[] b = nestedAttribute(depth, array);
        assertThat(wireAccepts(b)).as("depth %d, %s", depth, array ? "arrays" : "kvlists").isEqualTo(fullDecodeAccepts(b));
      }
    }
    assertThat(wireAccepts(nestedAttribute(30, false))).as("shallow enough").isTrue();
    assertThatThrownBy(() -> TraceWireValidator.validate(nestedAttribute(5000, false)))
        .isInstanceOf(InvalidOtlpException.class).hasMessageContaining("nested more than 100 levels");
    assertThatThrownBy(() -> TraceWireValidator.validate(nestedAttribute(5000, true))).isInstanceOf(InvalidOtlpException.class);
  }

  /** A span whose one attribute value is {@code depth} key-value lists (or arrays) deep, encoded by hand. */
  static byte[] nestedAttribute(int depth, boolean array) throws Exception {
    byte[] value = Otlp.lengthDelimited(1, "leaf".getBytes()); // AnyValue.string_value
    for (int i = 0; i < depth; i++) {
      value = array
          ? Otlp.lengthDelimited(5, Otlp.lengthDelimited(1, value)) // AnyValue.array_value{values: AnyValue}
          : Otlp.lengthDelimited(6, Otlp.lengthDelimited(1, Otlp.concat(Otlp.lengthDelimited(1, "k".getBytes()), Otlp.lengthDelimited(2, value)))); // kvlist_value{values: KeyValue}
    }
    byte[] span = Span.newBuilder().setTraceId(Otlp.traceId(9, 9)).setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setName("deep").build().toByteArray();
    byte[] attribute = Otlp.lengthDelimited(9, Otlp.concat(Otlp.lengthDelimited(1, "a".getBytes()), Otlp.lengthDelimited(2, value)));
    return Otlp.lengthDelimited(1, Otlp.lengthDelimited(2, Otlp.lengthDelimited(2, Otlp.concat(span, attribute))));
  }
}
