package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.EntityRef;

/** A resource's {@code EntityRef}: only strings, read to check them (strict cursor); nobody keeps them yet. */
final class EntityRefView extends MessageView {
  private static final int SCHEMA_URL = EntityRef.SCHEMA_URL_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int TYPE = EntityRef.TYPE_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int ID_KEYS = EntityRef.ID_KEYS_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int DESCRIPTION_KEYS = EntityRef.DESCRIPTION_KEYS_FIELD_NUMBER << 3 | WireCursor.LEN;

  private final Slice string = new Slice();

  @Override
  boolean field(WireCursor c) throws InvalidProtocolBufferException {
    switch (c.tag()) {
      case SCHEMA_URL -> c.string(string, "entity ref schema_url");
      case TYPE -> c.string(string, "entity ref type");
      case ID_KEYS, DESCRIPTION_KEYS -> c.string(string, "entity ref key");
      default -> {
        return false;
      }
    }
    return true;
  }
}
