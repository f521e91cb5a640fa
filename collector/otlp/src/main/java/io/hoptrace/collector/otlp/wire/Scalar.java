package io.hoptrace.collector.otlp.wire;

/** A number field of a view (varint or fixed, as protobuf reads it): 0 until its field is read. */
public final class Scalar {
  private long bits;

  public long asLong() {
    return bits;
  }

  /** The low 32 bits: int32, uint32, enum and fixed32 fields. */
  public int asInt() {
    return (int) bits;
  }

  void set(long value) {
    bits = value;
  }

  void clear() {
    bits = 0;
  }
}
