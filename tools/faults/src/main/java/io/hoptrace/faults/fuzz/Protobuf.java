package io.hoptrace.faults.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-written protobuf encoding, for messages the generated classes refuse to build (too deep, too many). */
final class Protobuf {
  private Protobuf() {}

  static byte[] lengthDelimited(int field, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 10);
    varint(out, (field << 3) | 2);
    varint(out, value.length);
    out.writeBytes(value);
    return out.toByteArray();
  }

  static byte[] string(int field, String value) {
    return lengthDelimited(field, value.getBytes(StandardCharsets.UTF_8));
  }

  static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** An AnyValue nested {@code depth} key-value lists deep (opentelemetry.proto.common.v1). */
  static byte[] deepAnyValue(int depth) {
    byte[] inner = string(1, "leaf"); // AnyValue.string_value
    for (int i = 0; i < depth; i++) {
      byte[] kv = concat(string(1, "k"), lengthDelimited(2, inner)); // KeyValue{key, value}
      inner = lengthDelimited(6, lengthDelimited(1, kv)); // AnyValue.kvlist_value{values}
    }
    return inner;
  }
}
