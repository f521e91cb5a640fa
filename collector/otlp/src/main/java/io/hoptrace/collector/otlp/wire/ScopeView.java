package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.InstrumentationScope;

/** An {@code InstrumentationScope}: name, version, where its attributes are. */
public final class ScopeView extends MessageView {
  private static final int NAME = InstrumentationScope.NAME_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int VERSION = InstrumentationScope.VERSION_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int ATTRIBUTES = InstrumentationScope.ATTRIBUTES_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int DROPPED_ATTRIBUTES_COUNT = InstrumentationScope.DROPPED_ATTRIBUTES_COUNT_FIELD_NUMBER << 3 | WireCursor.VARINT;

  public final Slice name = part(new Slice());
  public final Slice version = part(new Slice());
  public final Attributes attributes = part(new Attributes());

  @Override
  boolean field(WireCursor c) throws InvalidProtocolBufferException {
    switch (c.tag()) {
      case NAME -> c.string(name, "scope name");
      case VERSION -> c.string(version, "scope version");
      case ATTRIBUTES -> attributes.add(c);
      case DROPPED_ATTRIBUTES_COUNT -> attributes.readDroppedCount(c);
      default -> {
        return false;
      }
    }
    return true;
  }
}
