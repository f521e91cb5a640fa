package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

/**
 * Reads protobuf fields in place from a byte array, refusing what protobuf-java's parser refuses (bad
 * varints, lengths past the end, field number 0, stray end-group tags, wire types 6 and 7, messages
 * nested deeper than its recursion limit) and creating no object per field. One cursor walks a whole
 * request: nested messages are entered and left, so the depth is that of a full decode.
 *
 * <p>A strict cursor also checks that strings are UTF-8, as the parser does for proto3 strings, and
 * makes the views read every nested message (the validator); a lenient one trusts the bytes it is given
 * (they were validated when received) and leaves nested messages for the caller to seek to.
 */
public final class WireCursor {
  /** protobuf-java's default recursion limit: the request is depth 0, a span's fields depth 3. */
  public static final int MAX_DEPTH = 100;
  static final int VARINT = WireFormat.WIRETYPE_VARINT;
  static final int I64 = WireFormat.WIRETYPE_FIXED64;
  static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  static final int I32 = WireFormat.WIRETYPE_FIXED32;

  private final boolean strict;
  private byte[] b;
  private int pos;
  private int limit;
  private int depth;
  private int tag;
  private int tagOffset;
  private int valueOffset;
  private int valueLength;

  public WireCursor(byte[] b, boolean strict) {
    this.strict = strict;
    reset(b);
  }

  /** Starts over on another request. */
  public void reset(byte[] bytes) {
    reset(bytes, 0, bytes.length);
  }

  /**
   * Starts over on a request that is {@code length} bytes of {@code bytes} from {@code offset} (a
   * Kafka record's value inside the fetched buffer: read in place, not copied). Offsets of fields are
   * then offsets into {@code bytes}.
   */
  public void reset(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new IndexOutOfBoundsException("request of " + length + " bytes at " + offset + " in an array of " + bytes.length);
    }
    b = bytes;
    pos = offset;
    limit = offset + length;
    depth = 0;
  }

  public byte[] bytes() {
    return b;
  }

  public boolean strict() {
    return strict;
  }

  /** Depth of the message being read (0: the request). */
  public int depth() {
    return depth;
  }

  /** Positions the cursor on the fields of the {@code i}th message of {@code messages}. */
  public void seek(Slices messages, int i) throws InvalidProtocolBufferException {
    seek(messages.offset(i), messages.length(i), messages.depth());
  }

  void seek(int offset, int length, int messageDepth) throws InvalidProtocolBufferException {
    if (messageDepth > MAX_DEPTH) {
      throw tooDeep();
    }
    pos = offset;
    limit = offset + length;
    depth = messageDepth;
  }

  /** Reads the next field's tag; false at the end of the current message. */
  public boolean next() throws InvalidProtocolBufferException {
    if (pos == limit) {
      return false;
    }
    tagOffset = pos;
    tag = (int) varint();
    if (WireFormat.getTagFieldNumber(tag) == 0) {
      throw new InvalidProtocolBufferException("a field has number 0 (invalid tag)");
    }
    return true;
  }

  /** The current field's tag: (field number << 3) | wire type. */
  public int tag() {
    return tag;
  }

  /** Where the current field starts (its tag). */
  public int fieldOffset() {
    return tagOffset;
  }

  /** Where the cursor is: after the current field once its value was read or skipped. */
  public int position() {
    return pos;
  }

  /** Offset and length of the last length-delimited value read. */
  public int offset() {
    return valueOffset;
  }

  public int length() {
    return valueLength;
  }

  public long varint() throws InvalidProtocolBufferException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos == limit) {
        throw truncated();
      }
      byte x = b[pos++];
      result |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return result;
      }
    }
    throw new InvalidProtocolBufferException("a varint is longer than 10 bytes");
  }

  /** int32, uint32 and enum values: the low 32 bits of the varint, as protobuf reads them. */
  public int varint32() throws InvalidProtocolBufferException {
    return (int) varint();
  }

  public long fixed64() throws InvalidProtocolBufferException {
    need(8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[pos - 8 + i] & 0xFFL);
    }
    return v;
  }

  public int fixed32() throws InvalidProtocolBufferException {
    need(4);
    return (b[pos - 4] & 0xFF) | (b[pos - 3] & 0xFF) << 8 | (b[pos - 2] & 0xFF) << 16 | (b[pos - 1] & 0xFF) << 24;
  }

  /** A length-delimited value (bytes, string, message) read into {@link #offset()} and {@link #length()}. */
  public void lengthDelimited() throws InvalidProtocolBufferException {
    int len = (int) varint();
    if (len < 0) {
      throw new InvalidProtocolBufferException("a length is negative");
    }
    if (len > limit - pos) {
      throw truncated();
    }
    valueOffset = pos;
    valueLength = len;
    pos += len;
  }

  /** A bytes field into {@code into} (the last occurrence wins, as in protobuf). */
  void bytes(Slice into) throws InvalidProtocolBufferException {
    lengthDelimited();
    into.set(valueOffset, valueLength);
  }

  /** A string field into {@code into}; a strict cursor refuses invalid UTF-8 naming {@code what}. */
  void string(Slice into, String what) throws InvalidProtocolBufferException {
    lengthDelimited();
    if (strict && !validUtf8(b, valueOffset, valueLength)) {
      throw new InvalidProtocolBufferException("a " + what + " is not valid UTF-8 (protobuf strings must be)");
    }
    into.set(valueOffset, valueLength);
  }

  /**
   * A message field: where it is goes into {@code into} (when not null); a strict cursor also reads it
   * with {@code check}, which must then read every nested message too.
   */
  void message(Slices into, MessageView check) throws InvalidProtocolBufferException {
    if (!strict) {
      lengthDelimited();
      if (into != null) {
        into.add(valueOffset, valueLength, depth + 1);
      }
      return;
    }
    int outer = enter();
    if (into != null) {
      into.add(valueOffset, valueLength, depth);
    }
    check.read(this);
    leave(outer);
  }

  /** Enters the current field's message: its fields are read until {@link #next()} is false; returns what {@link #leave} needs. */
  int enter() throws InvalidProtocolBufferException {
    lengthDelimited();
    if (depth >= MAX_DEPTH) {
      throw tooDeep();
    }
    int outer = limit;
    pos = valueOffset;
    limit = valueOffset + valueLength;
    depth++;
    return outer;
  }

  void leave(int outerLimit) {
    pos = limit;
    limit = outerLimit;
    depth--;
  }

  /** Skips the current field's value (a field this reader does not know, or does not need). */
  public void skip() throws InvalidProtocolBufferException {
    switch (WireFormat.getTagWireType(tag)) {
      case VARINT -> varint();
      case I64 -> need(8);
      case LEN -> lengthDelimited();
      case I32 -> need(4);
      case WireFormat.WIRETYPE_START_GROUP -> group(WireFormat.getTagFieldNumber(tag));
      case WireFormat.WIRETYPE_END_GROUP -> throw new InvalidProtocolBufferException("an end-group tag does not match a start-group tag");
      default -> throw new InvalidProtocolBufferException("a field has an invalid wire type");
    }
  }

  /** An unknown group (deprecated proto2 encoding): nested like a message, so it counts towards the depth. */
  private void group(int field) throws InvalidProtocolBufferException {
    if (depth >= MAX_DEPTH) {
      throw tooDeep();
    }
    depth++;
    while (true) {
      if (!next()) {
        throw truncated();
      }
      if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_END_GROUP) {
        if (WireFormat.getTagFieldNumber(tag) != field) {
          throw new InvalidProtocolBufferException("an end-group tag does not match a start-group tag");
        }
        break;
      }
      skip();
    }
    depth--;
  }

  private void need(int n) throws InvalidProtocolBufferException {
    if (limit - pos < n) {
      throw truncated();
    }
    pos += n;
  }

  private static InvalidProtocolBufferException truncated() {
    return new InvalidProtocolBufferException("a message ends in the middle of a field (truncated, or a length is wrong)");
  }

  private static InvalidProtocolBufferException tooDeep() {
    return new InvalidProtocolBufferException("messages (attribute values) nested more than " + MAX_DEPTH + " levels deep");
  }

  /** A field's tag, for fields whose numbers are not constants (the envelope's). */
  static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  /** UTF-8 as protobuf accepts it: no overlongs, no surrogates, at most U+10FFFF. */
  static boolean validUtf8(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + n >= end) {
        return false; // truncated sequence
      }
      int cp = c & (0x3F >> n);
      for (int k = 1; k <= n; k++) {
        int cc = b[i + k] & 0xFF;
        if ((cc & 0xC0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
        return false;
      }
      i += n + 1;
    }
    return true;
  }
}
