package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.Span;

/** A span's {@code Link}: the linked span's ids and trace state, where its attributes are, flags. */
public final class LinkView extends MessageView {
  private static final int TRACE_ID = Span.Link.TRACE_ID_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int SPAN_ID = Span.Link.SPAN_ID_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int TRACE_STATE = Span.Link.TRACE_STATE_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int ATTRIBUTES = Span.Link.ATTRIBUTES_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int DROPPED_ATTRIBUTES_COUNT = Span.Link.DROPPED_ATTRIBUTES_COUNT_FIELD_NUMBER << 3 | WireCursor.VARINT;
  private static final int FLAGS = Span.Link.FLAGS_FIELD_NUMBER << 3 | WireCursor.I32;

  public final Slice traceId = part(new Slice());
  public final Slice spanId = part(new Slice());
  public final Slice traceState = part(new Slice());
  public final Attributes attributes = part(new Attributes());
  public final Scalar flags = part(new Scalar());

  @Override
  boolean field(WireCursor c) throws InvalidProtocolBufferException {
    switch (c.tag()) {
      case TRACE_ID -> c.bytes(traceId);
      case SPAN_ID -> c.bytes(spanId);
      case TRACE_STATE -> c.string(traceState, "link trace_state");
      case ATTRIBUTES -> attributes.add(c);
      case DROPPED_ATTRIBUTES_COUNT -> attributes.readDroppedCount(c);
      case FLAGS -> flags.set(c.fixed32());
      default -> {
        return false;
      }
    }
    return true;
  }
}
