package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;

/** {@code ArrayValue} or {@code KeyValueList}: one repeated field of values, read to check them (strict cursor). */
final class ValueListView extends MessageView {
  private final int valuesTag;
  private final MessageView element;

  ValueListView(int valuesField, MessageView element) {
    this.valuesTag = WireCursor.tag(valuesField, WireCursor.LEN);
    this.element = element;
  }

  @Override
  boolean field(WireCursor c) throws InvalidProtocolBufferException {
    if (c.tag() != valuesTag) {
      return false;
    }
    c.message(null, element);
    return true;
  }
}
