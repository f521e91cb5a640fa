package io.hoptrace.load.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Realistic export requests: the five-span trace of an order (docs/http-api.md, "The Kafka hop") with the
 * attributes the services set, split the way the services' BatchSpanProcessors send them: order's
 * requests carry its three spans of each trace (HTTP SERVER, PRODUCER, CONSUMER), inventory's its two
 * (CONSUMER, PRODUCER), about 510 spans per request like an SDK's 512-span batch. Requests alternate
 * between the two services.
 *
 * <p>Requests are made from two templates by patching the ids: every trace and span id holds a
 * 4-byte slot that receives the request's sequence number, so ids are unique across a run and a
 * request costs a copy, not a protobuf encoding (the burst benchmark sends millions of spans).
 *
 * <p>The trace ids carry the request's sequence number in their first four bytes and the span ids in
 * theirs, so a run's rows read back from ClickHouse in span id order are in the order they were sent.
 *
 * <p>The fault suite uses {@link #request(long, int, long)} instead: whole traces (all five spans) in
 * one request of a single service {@code bench-<runId>}, with span ids it can account for one by one.
 */
public final class SpanFactory {
  /** Spans of one order trace (both services). */
  public static final int SPANS_PER_TRACE = 5;
  /** Spans per request of the benchmark stream (about an SDK batch of 512). */
  public static final int SPANS_PER_REQUEST = 510;
  private static final byte[] MARK = {(byte) 0xF1, (byte) 0xE2, (byte) 0xD3, (byte) 0xC4};

  private final String runId;
  private final Template order;
  private final Template inventory;

  /** A factory whose templates start now. */
  public SpanFactory(String runId) {
    this(runId, System.currentTimeMillis() * 1_000_000L);
  }

  /** A factory whose templates start at {@code nowNanos} (epoch nanoseconds). */
  public SpanFactory(String runId, long nowNanos) {
    this.runId = runId;
    this.order = template("order", SPANS_PER_REQUEST / 3, nowNanos);
    this.inventory = template("inventory", SPANS_PER_REQUEST / 2, nowNanos);
  }

  /** Service names of this run's spans start with this (for counting them in ClickHouse). */
  public String servicePrefix() {
    return "bench-" + runId + "-";
  }

  /** Request {@code seq} (1, 2, ...): order's for odd numbers, inventory's for even ones. */
  public byte[] request(long seq) {
    if (seq <= 0 || seq > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("request sequence out of range: " + seq);
    }
    return (seq % 2 == 1 ? order : inventory).patch((int) seq);
  }

  /** Spans in request {@code seq}. */
  public int spans(long seq) {
    return seq % 2 == 1 ? order.spans : inventory.spans;
  }

  /** Spans in requests 1..n. */
  public long spansIn(long n) {
    return (n + 1) / 2 * order.spans + n / 2 * inventory.spans;
  }

  private record Template(byte[] bytes, int[] slots, int spans) {
    byte[] patch(int seq) {
      byte[] b = bytes.clone();
      byte b0 = (byte) (seq >>> 24);
      byte b1 = (byte) (seq >>> 16);
      byte b2 = (byte) (seq >>> 8);
      byte b3 = (byte) seq;
      for (int at : slots) {
        b[at] = b0;
        b[at + 1] = b1;
        b[at + 2] = b2;
        b[at + 3] = b3;
      }
      return b;
    }
  }

  private Template template(String service, int traces, long nowNanos) {
    for (long shift = 0; ; shift++) {
      boolean isOrder = service.equals("order");
      byte[] bytes = build(resource(servicePrefix() + service), isOrder, !isOrder, traces, nowNanos + shift, MARKED, false);
      List<Integer> slots = new ArrayList<>();
      for (int i = 0; i + 4 <= bytes.length; i++) {
        if (bytes[i] == MARK[0] && bytes[i + 1] == MARK[1] && bytes[i + 2] == MARK[2] && bytes[i + 3] == MARK[3]) {
          slots.add(i);
          i += 3;
        }
      }
      int spansPerTrace = service.equals("order") ? 3 : 2;
      // per span: trace id + span id + parent span id (every span here has a parent but order's SERVER span)
      int expected = traces * (spansPerTrace * 3 - (service.equals("order") ? 1 : 0));
      if (slots.size() == expected) {
        return new Template(bytes, slots.stream().mapToInt(Integer::intValue).toArray(), traces * spansPerTrace);
      }
      // another field happened to contain the marker bytes: move the timestamps and try again
    }
  }

  /** Where a trace's and its spans' ids come from. */
  private interface Ids {
    ByteString trace(int t);

    /** Span {@code k} (1..5, in the order of the hop) of trace {@code t}. */
    ByteString span(int t, int k);
  }

  /** Template ids: the marker, then a slot for the request's sequence number. */
  private static final Ids MARKED = new Ids() {
    public ByteString trace(int t) {
      return traceId(t);
    }

    public ByteString span(int t, int k) {
      return spanId(t, k);
    }
  };

  /**
   * One request of {@code traces} whole traces (five spans each) of service {@code bench-<runId>};
   * {@code seed} makes every id unique across the run (span ids as longs: ({@code seed} * 100,000 + trace) * 8 + k).
   * Inventory's refusals (every 20th trace) carry an {@code exception} event, so stored content has events to compare.
   */
  public byte[] request(long seed, int traces, long nowNanos) {
    if (traces < 1 || traces >= 100_000) {
      throw new IllegalArgumentException("traces per request must be 1..99,999: " + traces);
    }
    Ids ids = new Ids() {
      public ByteString trace(int t) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x5b8efff798038103L ^ seed).putLong(seed * 100_000 + t).array());
      }

      public ByteString span(int t, int k) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong((seed * 100_000 + t) * 8 + k).array());
      }
    };
    return build(resource("bench-" + runId), true, true, traces, nowNanos, ids, true);
  }

  /**
   * The lowest span id (16 hex digits, as ClickHouse stores it) of request {@code seq} of the
   * benchmark stream: the spans of requests {@code a..b} are those with ids from {@code firstSpanIdOf(a)}
   * up to, not including, {@code firstSpanIdOf(b + 1)}.
   */
  public static String firstSpanIdOf(long seq) {
    return String.format(java.util.Locale.ROOT, "%08x00000000", seq);
  }

  private static ByteString traceId(int t) {
    return ByteString.copyFrom(ByteBuffer.allocate(16).put(MARK).putInt(t).putLong(0x5b8efff798038103L).array());
  }

  private static ByteString spanId(int t, int k) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).put(MARK).putInt(t * 8 + k).array());
  }

  private static KeyValue s(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static KeyValue i(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  private static KeyValue b(String k, boolean v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setBoolValue(v)).build();
  }

  private static Resource resource(String serviceName) {
    return Resource.newBuilder()
        .addAttributes(s("service.name", serviceName))
        .addAttributes(s("service.instance.id", UUID.nameUUIDFromBytes(serviceName.getBytes()).toString()))
        .addAttributes(s("host.name", "bench-host"))
        .addAttributes(s("host.arch", "amd64"))
        .addAttributes(s("os.type", "linux"))
        .addAttributes(s("os.description", "Linux 6.1.0-37-cloud-amd64"))
        .addAttributes(i("process.pid", 4711))
        .addAttributes(s("process.runtime.name", "OpenJDK Runtime Environment"))
        .addAttributes(s("process.runtime.version", "17.0.15+6-Debian-1deb12u1"))
        .addAttributes(s("process.runtime.description", "Debian OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1"))
        .addAttributes(s("telemetry.sdk.language", "java"))
        .addAttributes(s("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(s("telemetry.sdk.version", "1.55.0"))
        .build();
  }

  /** One service's spans of {@code traces} traces: order's three, inventory's two, or all five. */
  private static byte[] build(Resource resource, boolean order, boolean inventory, int traces, long now, Ids ids, boolean events) {
    ScopeSpans.Builder http = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.vertx.tracing.opentelemetry"));
    ScopeSpans.Builder hop = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.hoptrace"));
    for (int t = 0; t < traces; t++) {
      ByteString trace = ids.trace(t);
      String orderId = UUID.nameUUIDFromBytes(("order-" + t).getBytes()).toString();
      String product = "product-" + (t % 50);
      String partition = Integer.toString(t % 3);
      long start = now + t * 1_000_000L;
      if (order) {
        http.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(ids.span(t, 1)).setName("POST /order-product")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(start).setEndTimeUnixNano(start + 8_400_000)
            .addAttributes(s("http.request.method", "POST")).addAttributes(s("url.path", "/order-product"))
            .addAttributes(s("url.scheme", "http")).addAttributes(s("http.route", "/order-product"))
            .addAttributes(i("http.response.status_code", 201)).addAttributes(s("server.address", "127.0.0.1"))
            .addAttributes(i("server.port", 8000)).addAttributes(s("network.peer.address", "127.0.0.1"))
            .addAttributes(i("network.peer.port", 40000 + t)).addAttributes(s("user_agent.original", "curl/8.5.0"))
            .addAttributes(s("network.protocol.version", "1.1")));
        hop.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(ids.span(t, 2)).setParentSpanId(ids.span(t, 1))
            .setName("stock-reductions publish").setKind(Span.SpanKind.SPAN_KIND_PRODUCER)
            .setStartTimeUnixNano(start + 200_000).setEndTimeUnixNano(start + 1_900_000)
            .addAttributes(s("messaging.system", "kafka")).addAttributes(s("messaging.destination.name", "stock-reductions"))
            .addAttributes(s("messaging.operation.type", "send")).addAttributes(s("messaging.operation.name", "publish"))
            .addAttributes(s("messaging.kafka.message.key", product)).addAttributes(i("messaging.message.body.size", 118))
            .addAttributes(s("messaging.destination.partition.id", partition)).addAttributes(i("messaging.kafka.offset", 1000L + t)));
        hop.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(ids.span(t, 5)).setParentSpanId(ids.span(t, 4))
            .setName("stock-reduction-results process").setKind(Span.SpanKind.SPAN_KIND_CONSUMER)
            .setStartTimeUnixNano(start + 6_500_000).setEndTimeUnixNano(start + 7_200_000)
            .addAttributes(s("messaging.system", "kafka")).addAttributes(s("messaging.destination.name", "stock-reduction-results"))
            .addAttributes(s("messaging.operation.type", "process")).addAttributes(s("messaging.operation.name", "process"))
            .addAttributes(s("messaging.destination.partition.id", partition)).addAttributes(i("messaging.kafka.offset", 1000L + t))
            .addAttributes(s("messaging.kafka.message.key", orderId)).addAttributes(s("hoptrace.order.id", orderId))
            .addAttributes(s("order.outcome", t % 20 == 0 ? "REJECTED" : "CONFIRMED")).addAttributes(b("hoptrace.order.duplicate", false)));
      }
      if (inventory) {
        Span.Builder process = Span.newBuilder().setTraceId(trace).setSpanId(ids.span(t, 3)).setParentSpanId(ids.span(t, 2))
            .setName("stock-reductions process").setKind(Span.SpanKind.SPAN_KIND_CONSUMER)
            .setStartTimeUnixNano(start + 2_500_000).setEndTimeUnixNano(start + 6_100_000)
            .addAttributes(s("messaging.system", "kafka")).addAttributes(s("messaging.destination.name", "stock-reductions"))
            .addAttributes(s("messaging.operation.type", "process")).addAttributes(s("messaging.operation.name", "process"))
            .addAttributes(s("messaging.destination.partition.id", partition)).addAttributes(i("messaging.kafka.offset", 1000L + t))
            .addAttributes(s("messaging.kafka.message.key", product)).addAttributes(s("messaging.consumer.group.name", "inventory"))
            .addAttributes(s("hoptrace.order.id", orderId)).addAttributes(s("hoptrace.product.id", product))
            .addAttributes(s("hoptrace.stock.decision", t % 20 == 0 ? "REJECTED" : "CONFIRMED"))
            .setStatus(t % 20 == 0 ? Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("insufficient stock").build()
                : Status.getDefaultInstance());
        if (events && t % 20 == 0) {
          process.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(start + 5_900_000)
              .addAttributes(s("exception.type", "io.hoptrace.inventory.stock.InsufficientStock"))
              .addAttributes(s("exception.message", "only 0 of " + product + " left")).addAttributes(i("hoptrace.requested", 1 + t % 3)));
        }
        hop.addSpans(process);
        hop.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(ids.span(t, 4)).setParentSpanId(ids.span(t, 3))
            .setName("stock-reduction-results publish").setKind(Span.SpanKind.SPAN_KIND_PRODUCER)
            .setStartTimeUnixNano(start + 5_000_000).setEndTimeUnixNano(start + 6_000_000)
            .addAttributes(s("messaging.system", "kafka")).addAttributes(s("messaging.destination.name", "stock-reduction-results"))
            .addAttributes(s("messaging.operation.type", "send")).addAttributes(s("messaging.operation.name", "publish"))
            .addAttributes(s("messaging.kafka.message.key", orderId)).addAttributes(i("messaging.message.body.size", 164))
            .addAttributes(s("messaging.destination.partition.id", partition)).addAttributes(i("messaging.kafka.offset", 1000L + t)));
      }
    }
    ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource)
        .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0");
    if (http.getSpansCount() > 0) {
      rs.addScopeSpans(http);
    }
    rs.addScopeSpans(hop);
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build().toByteArray();
  }
}
