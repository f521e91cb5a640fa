package io.hoptrace.telemetry.kafka;

import io.hoptrace.kafka.replay.ReplayHeaders;
import io.hoptrace.telemetry.Telemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Spans of a Kafka hop, named and attributed by the OpenTelemetry messaging conventions:
 * PRODUCER {@code <topic> publish} around a send, CONSUMER {@code <topic> process} around the
 * handling of one record. The W3C context rides in the record headers ({@code traceparent},
 * {@code tracestate}, {@code baggage}).
 *
 * <p>Parents are always passed explicitly, never taken from "the current context" after a callback:
 * that is what loses the context for replies in vertx-kafka-client (its issue #273). A reply is
 * published with {@code startPublish(Context.root().with(processSpan), reply)}.
 *
 * <p>Replayed records (see {@code ./stack replay}) carry the original context in
 * {@code hoptrace.replay.traceparent} ({@link ReplayHeaders}); their process span starts a new trace
 * with a span link to it.
 */
public final class KafkaTracing {
  public static final String REPLAY_OF = ReplayHeaders.OF;
  public static final String REPLAY_ID = ReplayHeaders.ID;
  public static final String REPLAY_TRACEPARENT = ReplayHeaders.TRACEPARENT;
  public static final String REPLAY_TRACESTATE = ReplayHeaders.TRACESTATE;

  public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
  public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
  public static final AttributeKey<String> MESSAGE_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
  public static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
  public static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  public static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
  public static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
  public static final AttributeKey<String> REPLAY_OF_ATTR = AttributeKey.stringKey(REPLAY_OF);
  public static final AttributeKey<String> REPLAY_ID_ATTR = AttributeKey.stringKey(REPLAY_ID);

  private static final List<String> CONTEXT_HEADERS = List.of("traceparent", "tracestate", "baggage");

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  private KafkaTracing(OpenTelemetry otel) {
    this.tracer = otel.getTracer(Telemetry.SCOPE);
    this.propagator = otel.getPropagators().getTextMapPropagator();
  }

  public static KafkaTracing create(OpenTelemetry otel) {
    return new KafkaTracing(otel);
  }

  /**
   * Starts the PRODUCER span {@code <topic> publish} as a child of {@code parent} and writes its
   * context into the record's headers, replacing any context headers the record already had (an
   * incoming {@code traceparent} is never forwarded). End it with {@link #endPublish}.
   */
  public Span startPublish(Context parent, ProducerRecord<String, ?> record) {
    SpanBuilder b = tracer.spanBuilder(record.topic() + " publish")
        .setSpanKind(SpanKind.PRODUCER)
        .setParent(parent)
        .setAttribute(SYSTEM, "kafka")
        .setAttribute(DESTINATION, record.topic())
        .setAttribute(OPERATION_TYPE, "send")
        .setAttribute(OPERATION_NAME, "publish");
    if (record.key() != null) {
      b.setAttribute(MESSAGE_KEY, record.key());
    }
    if (record.partition() != null) {
      b.setAttribute(PARTITION, record.partition().toString());
    }
    long size = bodySize(record.value());
    if (size >= 0) {
      b.setAttribute(BODY_SIZE, size);
    }
    Span span = b.startSpan();
    CONTEXT_HEADERS.forEach(record.headers()::remove);
    propagator.inject(parent.with(span), record.headers(), SETTER);
    return span;
  }

  /** Ends a publish span with where the record landed, or with the error. */
  public void endPublish(Span span, RecordMetadata metadata, Exception error) {
    if (metadata != null && metadata.partition() >= 0) {
      span.setAttribute(PARTITION, Integer.toString(metadata.partition()));
      if (metadata.hasOffset()) {
        span.setAttribute(OFFSET, metadata.offset());
      }
    }
    if (error != null) {
      span.recordException(error);
      span.setStatus(StatusCode.ERROR, error.getMessage());
      span.setAttribute("error.type", error.getClass().getName());
    }
    span.end();
  }

  /**
   * Starts the CONSUMER span {@code <topic> process} for one record: child of the context in its
   * headers; for a replayed record, linked to the original request's context.
   *
   * @param consumerGroup the consumer group, or null when the consumer reads without one
   */
  public Span startProcess(ConsumerRecord<String, ?> record, String consumerGroup) {
    Context parent = propagator.extract(Context.root(), record.headers(), GETTER);
    SpanBuilder b = tracer.spanBuilder(record.topic() + " process")
        .setSpanKind(SpanKind.CONSUMER)
        .setParent(parent)
        .setAttribute(SYSTEM, "kafka")
        .setAttribute(DESTINATION, record.topic())
        .setAttribute(OPERATION_TYPE, "process")
        .setAttribute(OPERATION_NAME, "process")
        .setAttribute(PARTITION, Integer.toString(record.partition()))
        .setAttribute(OFFSET, record.offset());
    if (record.key() != null) {
      b.setAttribute(MESSAGE_KEY, record.key());
    }
    if (consumerGroup != null) {
      b.setAttribute(CONSUMER_GROUP, consumerGroup);
    }
    long size = bodySize(record.value());
    if (size >= 0) {
      b.setAttribute(BODY_SIZE, size);
    }
    String replayOf = header(record.headers(), REPLAY_OF);
    if (replayOf != null) {
      b.setAttribute(REPLAY_OF_ATTR, replayOf);
      String replayId = header(record.headers(), REPLAY_ID);
      if (replayId != null) {
        b.setAttribute(REPLAY_ID_ATTR, replayId);
      }
    }
    replayedFrom(record.headers()).ifPresent(b::addLink);
    return b.startSpan();
  }

  /** The context a record carries in its W3C headers (root when none). */
  public Context extract(Headers headers) {
    return propagator.extract(Context.root(), headers, GETTER);
  }

  /** The original request's context of a replayed record, from {@code hoptrace.replay.traceparent}. */
  public static Optional<SpanContext> replayedFrom(Headers headers) {
    if (header(headers, REPLAY_TRACEPARENT) == null) {
      return Optional.empty();
    }
    Context original = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, REPLAY_GETTER);
    SpanContext sc = Span.fromContext(original).getSpanContext();
    return sc.isValid() ? Optional.of(sc) : Optional.empty();
  }

  /** The last value of a header as UTF-8, or null when absent or null-valued. */
  public static String header(Headers headers, String key) {
    if (headers == null) {
      return null;
    }
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** The body's size in bytes on the wire, or -1 when unknown. */
  static long bodySize(Object value) {
    if (value instanceof byte[] bytes) {
      return bytes.length;
    }
    if (value instanceof String s) {
      return utf8Length(s);
    }
    return -1;
  }

  /** What {@code s.getBytes(UTF_8).length} says, without copying the body once more for every span. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3; // a lone surrogate is encoded as '?' by getBytes: 1 byte
        if (Character.isSurrogate(c)) {
          n -= 2;
        }
      }
    }
    return n;
  }

  private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
    if (headers != null) {
      headers.remove(key);
      headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
  };

  private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers headers) {
      List<String> keys = new ArrayList<>();
      headers.forEach(h -> keys.add(h.key()));
      return keys;
    }

    @Override
    public String get(Headers headers, String key) {
      return header(headers, key);
    }
  };

  /** Reads the replay copy of the original context under the W3C names the propagator asks for. */
  private static final TextMapGetter<Headers> REPLAY_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers headers) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(Headers headers, String key) {
      if ("traceparent".equals(key)) {
        return header(headers, REPLAY_TRACEPARENT);
      }
      if ("tracestate".equals(key)) {
        return header(headers, REPLAY_TRACESTATE);
      }
      return null;
    }
  };
}
