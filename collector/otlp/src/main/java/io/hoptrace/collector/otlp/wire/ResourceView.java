package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.resource.v1.Resource;

/** A {@code Resource}: where its attributes are. Its entity refs are only checked (strict cursor), never kept. */
public final class ResourceView extends MessageView {
  private static final int ATTRIBUTES = Resource.ATTRIBUTES_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int DROPPED_ATTRIBUTES_COUNT = Resource.DROPPED_ATTRIBUTES_COUNT_FIELD_NUMBER << 3 | WireCursor.VARINT;
  private static final int ENTITY_REFS = Resource.ENTITY_REFS_FIELD_NUMBER << 3 | WireCursor.LEN;

  public final Attributes attributes = part(new Attributes());
  private final EntityRefView entityRefCheck = new EntityRefView();

  @Override
  boolean field(WireCursor c) throws InvalidProtocolBufferException {
    switch (c.tag()) {
      case ATTRIBUTES -> attributes.add(c);
      case DROPPED_ATTRIBUTES_COUNT -> attributes.readDroppedCount(c);
      case ENTITY_REFS -> c.message(null, entityRefCheck);
      default -> {
        return false;
      }
    }
    return true;
  }
}
