package io.hoptrace.collector.otlp.wire;

/** Where a bytes or string value is in the request: a view reuses its slices message after message. */
public final class Slice {
  private int offset;
  private int length;

  public int offset() {
    return offset;
  }

  public int length() {
    return length;
  }

  void set(int offset, int length) {
    this.offset = offset;
    this.length = length;
  }

  void clear() {
    offset = 0;
    length = 0;
  }
}
