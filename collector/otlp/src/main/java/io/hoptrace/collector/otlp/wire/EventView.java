package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.Span;

/** A span's {@code Event}: time, name, where its attributes are. */
public final class EventView extends MessageView {
  private static final int TIME_UNIX_NANO = Span.Event.TIME_UNIX_NANO_FIELD_NUMBER << 3 | WireCursor.I64;
  private static final int NAME = Span.Event.NAME_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int ATTRIBUTES = Span.Event.ATTRIBUTES_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int DROPPED_ATTRIBUTES_COUNT = Span.Event.DROPPED_ATTRIBUTES_COUNT_FIELD_NUMBER << 3 | WireCursor.VARINT;

  public final Scalar timeUnixNano = part(new Scalar());
  public final Slice name = part(new Slice());
  public final Attributes attributes = part(new Attributes());

  @Override
  boolean field(WireCursor c) throws InvalidProtocolBufferException {
    switch (c.tag()) {
      case TIME_UNIX_NANO -> timeUnixNano.set(c.fixed64());
      case NAME -> c.string(name, "event name");
      case ATTRIBUTES -> attributes.add(c);
      case DROPPED_ATTRIBUTES_COUNT -> attributes.readDroppedCount(c);
      default -> {
        return false;
      }
    }
    return true;
  }
}
