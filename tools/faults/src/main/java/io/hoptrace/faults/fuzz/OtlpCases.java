package io.hoptrace.faults.fuzz;

import io.hoptrace.load.otlp.SpanFactory;
import io.hoptrace.load.otlp.TelemetryRequests;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Bad OTLP input for one signal: random, truncated and mutated protobuf, JSON with wrong types or
 * damaged text, wrong content types and encodings; and the big ones once each: huge attribute values,
 * deep nesting, millions of tiny spans in one request, a gzip bomb.
 */
public final class OtlpCases {
  public static final String PROTOBUF = "application/x-protobuf";
  public static final String JSON = "application/json";

  private static final String TRACES_JSON = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"fuzz\"}}]},"
      + "\"scopeSpans\":[{\"scope\":{\"name\":\"fuzz\",\"version\":\"1\"},\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
      + "\"parentSpanId\":\"eee19b7ec3c1b173\",\"name\":\"fuzz span\",\"kind\":2,\"startTimeUnixNano\":\"1764000000000000000\",\"endTimeUnixNano\":\"1764000000100000000\","
      + "\"attributes\":[{\"key\":\"a\",\"value\":{\"intValue\":\"5\"}},{\"key\":\"b\",\"value\":{\"arrayValue\":{\"values\":[{\"boolValue\":true}]}}}],"
      + "\"events\":[{\"timeUnixNano\":\"1764000000050000000\",\"name\":\"e\"}],\"status\":{\"code\":2,\"message\":\"m\"}}]}]}]}";
  private static final String METRICS_JSON = "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"fuzz\"}}]},"
      + "\"scopeMetrics\":[{\"scope\":{\"name\":\"fuzz\"},\"metrics\":[{\"name\":\"g\",\"unit\":\"1\",\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\"1764000000000000000\",\"asInt\":\"3\"}]}},"
      + "{\"name\":\"s\",\"sum\":{\"aggregationTemporality\":2,\"isMonotonic\":true,\"dataPoints\":[{\"timeUnixNano\":\"1764000000000000000\",\"asDouble\":1.5}]}},"
      + "{\"name\":\"h\",\"histogram\":{\"aggregationTemporality\":1,\"dataPoints\":[{\"timeUnixNano\":\"1764000000000000000\",\"count\":\"2\",\"sum\":3,\"bucketCounts\":[\"1\",\"1\"],\"explicitBounds\":[1]}]}}]}]}]}";
  private static final String LOGS_JSON = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"fuzz\"}}]},"
      + "\"scopeLogs\":[{\"scope\":{\"name\":\"fuzz\"},\"logRecords\":[{\"timeUnixNano\":\"1764000000000000000\",\"severityNumber\":9,\"severityText\":\"INFO\","
      + "\"body\":{\"stringValue\":\"hello\"},\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"attributes\":[{\"key\":\"k\",\"value\":{\"doubleValue\":1.5}}]}]}]}]}";

  private final String signal;
  private final Random random;
  private final SpanFactory spans;
  private long seed;

  /** @param signal traces, metrics or logs */
  public OtlpCases(String signal, Random random, long firstSeed) {
    this.signal = signal;
    this.random = random;
    this.spans = new SpanFactory("fuzz");
    this.seed = firstSeed;
  }

  public byte[] validProtobuf() {
    return switch (signal) {
      case "traces" -> spans.request(seed++, 1 + random.nextInt(5), System.currentTimeMillis() * 1_000_000L);
      case "metrics" -> TelemetryRequests.gauge("fuzz", random.nextInt(1000), 1 + random.nextInt(5)).toByteArray();
      default -> TelemetryRequests.logs("fuzz", random.nextInt(1000), 1 + random.nextInt(5)).toByteArray();
    };
  }

  public String validJson() {
    return switch (signal) {
      case "traces" -> TRACES_JSON;
      case "metrics" -> METRICS_JSON;
      default -> LOGS_JSON;
    };
  }

  /** A random small bad input (its kind chosen by the seeded random). */
  public Case next() {
    int kind = random.nextInt(9);
    return switch (kind) {
      case 0 -> Case.of("random bytes", Mutations.random(random, 4096), PROTOBUF);
      case 1 -> Case.of("truncated protobuf", Mutations.truncate(random, validProtobuf()), PROTOBUF);
      case 2, 3 -> Case.of("mutated protobuf", Mutations.mutate(random, validProtobuf()), PROTOBUF);
      case 4, 5 -> Case.of("JSON with wrong types", JsonMutator.wrongTypes(random, validJson()).getBytes(StandardCharsets.UTF_8), JSON);
      case 6 -> Case.of("damaged JSON text", Mutations.mutate(random, validJson().getBytes(StandardCharsets.UTF_8)), JSON);
      case 7 -> new Case("gzip header, body not gzip", validProtobuf(),
          java.util.Map.of("content-type", PROTOBUF, "content-encoding", random.nextBoolean() ? "gzip" : "br"));
      default -> Case.of("wrong content type", validProtobuf(), random.nextBoolean() ? "text/plain" : "application/xml");
    };
  }

  /** The big inputs, once each (traces only for the span-specific ones). */
  public List<Case> big(boolean full) {
    List<Case> out = new ArrayList<>();
    out.add(new Case("gzip bomb (256 MiB of zeros)", Mutations.gzipBomb(256L << 20), java.util.Map.of("content-type", PROTOBUF, "content-encoding", "gzip")));
    out.add(Case.of("JSON nested 100000 arrays deep", ("{\"" + rootField() + "\":" + JsonMutator.deepArrays(100_000) + "}").getBytes(StandardCharsets.UTF_8), JSON));
    out.add(Case.of("JSON nested 50000 objects deep", JsonMutator.deepObjects(rootField(), 50_000).getBytes(StandardCharsets.UTF_8), JSON));
    if (!signal.equals("traces")) {
      return out;
    }
    out.add(Case.of("span with a 3 MiB attribute value", hugeAttribute(3 << 20), PROTOBUF));
    out.add(Case.of("span with a 10 MiB attribute value", hugeAttribute(10 << 20), PROTOBUF));
    out.add(Case.of("attribute value nested 5000 key-value lists deep", deepAttribute(5000), PROTOBUF));
    out.add(Case.of("JSON attribute value nested 20000 kvlists deep", deepJsonAttribute(20_000).getBytes(StandardCharsets.UTF_8), JSON));
    out.add(Case.of("2,000,000 tiny spans in one request", tinySpans(2_000_000), PROTOBUF));
    int fits = full ? 400_000 : 150_000;
    out.add(Case.of(String.format("%,d tiny spans in one request", fits), tinySpans(fits), PROTOBUF));
    return out;
  }

  private String rootField() {
    return switch (signal) {
      case "traces" -> "resourceSpans";
      case "metrics" -> "resourceMetrics";
      default -> "resourceLogs";
    };
  }

  private byte[] hugeAttribute(int size) {
    char[] value = new char[size];
    java.util.Arrays.fill(value, 'x');
    Span s = Span.newBuilder().setTraceId(SpanFactoryIds.idBytes(seed++, 16)).setSpanId(SpanFactoryIds.idBytes(seed++, 8)).setName("huge")
        .setStartTimeUnixNano(System.currentTimeMillis() * 1_000_000L).setEndTimeUnixNano(System.currentTimeMillis() * 1_000_000L + 1000)
        .addAttributes(KeyValue.newBuilder().setKey("huge").setValue(AnyValue.newBuilder().setStringValue(new String(value)))).build();
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(s))).build().toByteArray();
  }

  private byte[] deepAttribute(int depth) {
    byte[] span = Span.newBuilder().setTraceId(SpanFactoryIds.idBytes(seed++, 16)).setSpanId(SpanFactoryIds.idBytes(seed++, 8)).setName("deep")
        .setStartTimeUnixNano(System.currentTimeMillis() * 1_000_000L).build().toByteArray();
    byte[] attribute = Protobuf.lengthDelimited(9, Protobuf.concat(Protobuf.string(1, "deep"), Protobuf.lengthDelimited(2, Protobuf.deepAnyValue(depth))));
    byte[] scopeSpans = Protobuf.lengthDelimited(2, Protobuf.concat(span, attribute));
    return Protobuf.lengthDelimited(1, Protobuf.lengthDelimited(2, scopeSpans));
  }

  private static String deepJsonAttribute(int depth) {
    String open = "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":";
    String inner = open.repeat(depth) + "{\"stringValue\":\"leaf\"}" + "}]}}".repeat(depth);
    return TRACES_JSON.replace("{\"intValue\":\"5\"}", inner);
  }

  /** {@code n} spans of trace id, span id and start time only, 1000 per trace; encoded by hand (fast, small). */
  private byte[] tinySpans(int n) {
    ByteArrayOutputStream spansOut = new ByteArrayOutputStream(n * 40);
    long now = System.currentTimeMillis() * 1_000_000L;
    long base = seed;
    seed += n;
    for (int i = 0; i < n; i++) {
      byte[] traceId = SpanFactoryIds.id(base + i / 1000, 16);
      byte[] spanId = SpanFactoryIds.id(base + i, 8);
      ByteBuffer time = ByteBuffer.allocate(9).put((byte) ((7 << 3) | 1)).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(now + i);
      byte[] span = Protobuf.concat(Protobuf.lengthDelimited(1, traceId), Protobuf.lengthDelimited(2, spanId), time.array());
      spansOut.writeBytes(Protobuf.lengthDelimited(2, span));
    }
    return Protobuf.lengthDelimited(1, Protobuf.lengthDelimited(2, spansOut.toByteArray()));
  }

  /** Ids of the fuzz inputs: distinct from the load generators' (a prefix of 0xf0). */
  static final class SpanFactoryIds {
    private SpanFactoryIds() {}

    static byte[] id(long n, int len) {
      ByteBuffer b = ByteBuffer.allocate(16).putLong(0xf0f0f0f0_00000000L).putLong(n);
      byte[] out = new byte[len];
      System.arraycopy(b.array(), 16 - len, out, 0, len);
      out[0] = (byte) 0xf0;
      return out;
    }

    static com.google.protobuf.ByteString idBytes(long n, int len) {
      return com.google.protobuf.ByteString.copyFrom(id(n, len));
    }
  }
}
