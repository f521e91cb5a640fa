package io.hoptrace.collector.otlp.wire;

import java.util.Arrays;

/**
 * Where the occurrences of a field are in the request, in wire order: the elements of a repeated
 * field, or the occurrences of a message field (protobuf merges those, as if they were one message
 * made of their bytes one after the other). For messages, the depth their fields are read at.
 */
public final class Slices {
  private int[] offsets;
  private int[] lengths;
  private int size;
  private int depth;

  public Slices() {
    this(8);
  }

  private Slices(int capacity) {
    offsets = new int[capacity];
    lengths = new int[capacity];
  }

  public int size() {
    return size;
  }

  public int offset(int i) {
    return offsets[i];
  }

  public int length(int i) {
    return lengths[i];
  }

  /** The depth at which a message here has its fields (the request's own fields are at 0). */
  public int depth() {
    return depth;
  }

  void clear() {
    size = 0;
  }

  void add(int offset, int length, int messageDepth) {
    if (size == offsets.length) {
      offsets = Arrays.copyOf(offsets, size * 2);
      lengths = Arrays.copyOf(lengths, size * 2);
    }
    offsets[size] = offset;
    lengths[size] = length;
    depth = messageDepth;
    size++;
  }

  /** A copy that the next message read does not overwrite. */
  public Slices copy() {
    Slices c = new Slices(Math.max(1, size));
    System.arraycopy(offsets, 0, c.offsets, 0, size);
    System.arraycopy(lengths, 0, c.lengths, 0, size);
    c.size = size;
    c.depth = depth;
    return c;
  }

  /** The bytes of every occurrence one after the other: the merged message, as protobuf would read it. */
  public byte[] joined(byte[] b) {
    int total = 0;
    for (int i = 0; i < size; i++) {
      total += lengths[i];
    }
    byte[] out = new byte[total];
    int p = 0;
    for (int i = 0; i < size; i++) {
      System.arraycopy(b, offsets[i], out, p, lengths[i]);
      p += lengths[i];
    }
    return out;
  }
}
