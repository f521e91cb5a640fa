package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * The attributes of a resource, scope, span, event or link: where its KeyValue messages are, and its
 * dropped_attributes_count (each of those messages has both fields, under its own numbers).
 */
public final class Attributes {
  public final Slices keyValues = new Slices();
  public final Scalar droppedCount = new Scalar();
  private final KeyValueView check = new KeyValueView();

  void clear() {
    keyValues.clear();
    droppedCount.clear();
  }

  /** One attribute (the field's value is a KeyValue). */
  void add(WireCursor c) throws InvalidProtocolBufferException {
    c.message(keyValues, check);
  }

  void readDroppedCount(WireCursor c) throws InvalidProtocolBufferException {
    droppedCount.set(c.varint32());
  }
}
