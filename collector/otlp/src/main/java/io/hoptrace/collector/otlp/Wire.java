package io.hoptrace.collector.otlp;

/**
 * Protobuf wire shapes read straight from the bytes, without a decoder object: shared by the
 * receiver's validator and the ingester's wire-to-RowBinary converter, which both meet them on every
 * attribute.
 */
public final class Wire {
  private Wire() {}

  /**
   * A length varint at {@code p}: (offset of the bytes after it) << 32 | length, or -1 when it is
   * malformed or the length runs past {@code end}.
   */
  public static long lengthAt(byte[] b, int p, int end) {
    int value = 0;
    for (int shift = 0; shift < 32 && p < end; shift += 7) {
      int c = b[p++];
      value |= (c & 0x7F) << shift;
      if (c >= 0) {
        return value < 0 || p + (long) value > end ? -1 : ((long) p << 32) | value;
      }
    }
    return -1;
  }

  /**
   * The common attribute, a KeyValue {key: "k", value: {string_value: "v"}} encoded in field order in
   * {@code b[off, off + len)}: its string value as (offset << 32 | length), or -1 for any other shape
   * (which means "decode it properly", not "invalid"). The key is then {@code lengthAt(b, off + 1, off + len)}.
   */
  public static long stringKeyValue(byte[] b, int off, int len) {
    int end = off + len;
    if (len < 1 || b[off] != 0x0A) {
      return -1;
    }
    long k = lengthAt(b, off + 1, end);
    if (k < 0) {
      return -1;
    }
    int p = (int) (k >>> 32) + (int) k;
    if (p >= end || b[p] != 0x12) {
      return -1;
    }
    long v = lengthAt(b, p + 1, end);
    if (v < 0 || (int) (v >>> 32) + (int) v != end || (int) v < 1 || b[(int) (v >>> 32)] != 0x0A) {
      return -1;
    }
    long sv = lengthAt(b, (int) (v >>> 32) + 1, end);
    return sv < 0 || (int) (sv >>> 32) + (int) sv != end ? -1 : sv;
  }
}
