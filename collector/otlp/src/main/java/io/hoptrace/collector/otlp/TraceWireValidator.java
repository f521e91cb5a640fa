package io.hoptrace.collector.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;

/**
 * Validates a protobuf {@code ExportTraceServiceRequest} on the wire, without building objects for
 * spans: every length is within bounds, every string is UTF-8 (as a protobuf decoder requires, so the
 * record is readable by any OTLP consumer, the OpenTelemetry Collector included), ids have their W3C
 * length. Resources and scopes (few per request) are checked by the generated parser. Accepts and
 * refuses what a full decode would, and counts the spans. Unknown fields are skipped, like protobuf does.
 */
final class TraceWireValidator {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  /**
   * Deepest message a full decode reads (protobuf's default recursion limit; the request is level 0,
   * a span level 3): deeper attribute values are refused, as a full decode refuses them, instead of
   * overflowing this validator's stack.
   */
  private static final int MAX_LEVEL = 100;
  private static final int SPAN_LEVEL = 3;

  private TraceWireValidator() {}

  private static int tag(int field, int type) {
    return (field << 3) | type;
  }

  /** @return the number of spans; throws naming the first problem */
  static int validate(byte[] b) throws InvalidOtlpException {
    try {
      int spans = 0;
      int r = 0;
      CodedInputStream in = CodedInputStream.newInstance(b);
      while (!in.isAtEnd()) {
        int t = in.readTag();
        if (t == tag(1, LEN)) {
          int len = in.readRawVarint32();
          spans += resourceSpans(b, in.getTotalBytesRead(), len, r++);
          in.skipRawBytes(len);
        } else {
          in.skipField(t);
        }
      }
      return spans;
    } catch (IOException | RuntimeException e) {
      throw new InvalidOtlpException("the body is not a valid protobuf ExportTraceServiceRequest: " + e.getMessage(), e);
    }
  }

  private static int resourceSpans(byte[] b, int off, int len, int r) throws IOException, InvalidOtlpException {
    int spans = 0;
    int s = 0;
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    while (!in.isAtEnd()) {
      int t = in.readTag();
      if (t == tag(1, LEN)) {
        Resource.parseFrom(in.readBytes());
      } else if (t == tag(2, LEN)) {
        int l = in.readRawVarint32();
        spans += scopeSpans(b, off + in.getTotalBytesRead(), l, r, s++);
        in.skipRawBytes(l);
      } else if (t == tag(3, LEN)) {
        utf8(b, off, in, "schema_url");
      } else {
        in.skipField(t);
      }
    }
    return spans;
  }

  private static int scopeSpans(byte[] b, int off, int len, int r, int s) throws IOException, InvalidOtlpException {
    int spans = 0;
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    while (!in.isAtEnd()) {
      int t = in.readTag();
      if (t == tag(1, LEN)) {
        InstrumentationScope.parseFrom(in.readBytes());
      } else if (t == tag(2, LEN)) {
        int l = in.readRawVarint32();
        span(b, off + in.getTotalBytesRead(), l, r, s, spans++);
        in.skipRawBytes(l);
      } else if (t == tag(3, LEN)) {
        utf8(b, off, in, "schema_url");
      } else {
        in.skipField(t);
      }
    }
    return spans;
  }

  private static void span(byte[] b, int off, int len, int r, int s, int i) throws IOException, InvalidOtlpException {
    int traceId = 0;
    int spanId = 0;
    int parent = 0;
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    while (!in.isAtEnd()) {
      int t = in.readTag();
      int field = WireFormat.getTagFieldNumber(t);
      if (WireFormat.getTagWireType(t) != LEN) {
        in.skipField(t); // kind, times, counts, flags (or fields we do not know)
        continue;
      }
      switch (field) {
        case 1 -> traceId = skip(in);
        case 2 -> spanId = skip(in);
        case 4 -> parent = skip(in);
        case 3, 5 -> utf8(b, off, in, field == 3 ? "trace_state" : "name");
        case 9 -> keyValue(b, off, in, SPAN_LEVEL + 1);
        case 11 -> nested(b, off, in, Nested.EVENT, SPAN_LEVEL + 1);
        case 13 -> nested(b, off, in, Nested.LINK, SPAN_LEVEL + 1);
        case 15 -> nested(b, off, in, Nested.STATUS, SPAN_LEVEL + 1);
        default -> in.skipField(t);
      }
    }
    if (traceId != 16 || spanId != 8 || parent != 0 && parent != 8) {
      String where = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
      if (traceId != 16) {
        throw new InvalidOtlpException(where + ".traceId must be 16 bytes, got " + traceId + " bytes");
      }
      if (spanId != 8) {
        throw new InvalidOtlpException(where + ".spanId must be 8 bytes, got " + spanId + " bytes");
      }
      throw new InvalidOtlpException(where + ".parentSpanId must be 8 bytes or empty, got " + parent + " bytes");
    }
  }

  private enum Nested { EVENT, LINK, STATUS, KEY_VALUE, ANY_VALUE, ARRAY, KV_LIST }

  /** A nested message at {@code level} (the request is level 0). */
  private static void nested(byte[] b, int base, CodedInputStream outer, Nested kind, int level) throws IOException, InvalidOtlpException {
    int len = outer.readRawVarint32();
    int off = base + outer.getTotalBytesRead();
    outer.skipRawBytes(len);
    checkLevel(level);
    message(b, off, len, kind, level);
  }

  private static void keyValue(byte[] b, int base, CodedInputStream outer, int level) throws IOException, InvalidOtlpException {
    int len = outer.readRawVarint32();
    int off = base + outer.getTotalBytesRead();
    outer.skipRawBytes(len);
    checkLevel(level);
    // the fast path's string value is one level deeper
    if (level + 1 > MAX_LEVEL || !validStringKeyValue(b, off, len)) {
      message(b, off, len, Nested.KEY_VALUE, level);
    }
  }

  private static void checkLevel(int level) throws InvalidOtlpException {
    if (level > MAX_LEVEL) {
      throw new InvalidOtlpException("the body is not a valid protobuf ExportTraceServiceRequest: messages (attribute values) nested more than "
          + MAX_LEVEL + " levels deep");
    }
  }

  /**
   * The common attribute, {key, value: {string_value}} in field order with valid UTF-8, checked
   * without a decoder object; false means "look closer", not "invalid".
   */
  private static boolean validStringKeyValue(byte[] b, int off, int len) {
    long sv = Wire.stringKeyValue(b, off, len);
    if (sv < 0) {
      return false;
    }
    long k = Wire.lengthAt(b, off + 1, off + len);
    return validUtf8(b, (int) (k >>> 32), (int) k) && validUtf8(b, (int) (sv >>> 32), (int) sv);
  }

  private static void message(byte[] b, int off, int len, Nested kind, int level) throws IOException, InvalidOtlpException {
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    int traceId = -1;
    int spanId = -1;
    while (!in.isAtEnd()) {
      int t = in.readTag();
      int field = WireFormat.getTagFieldNumber(t);
      if (WireFormat.getTagWireType(t) != LEN) {
        in.skipField(t);
        continue;
      }
      switch (kind) {
        case EVENT -> {
          if (field == 2) {
            utf8(b, off, in, "event name");
          } else if (field == 3) {
            keyValue(b, off, in, level + 1);
          } else {
            in.skipField(t);
          }
        }
        case LINK -> {
          switch (field) {
            case 1 -> traceId = skip(in);
            case 2 -> spanId = skip(in);
            case 3 -> utf8(b, off, in, "link trace_state");
            case 4 -> keyValue(b, off, in, level + 1);
            default -> in.skipField(t);
          }
        }
        case STATUS -> {
          if (field == 2) {
            utf8(b, off, in, "status message");
          } else {
            in.skipField(t);
          }
        }
        case KEY_VALUE -> {
          if (field == 1) {
            utf8(b, off, in, "attribute key");
          } else if (field == 2) {
            nested(b, off, in, Nested.ANY_VALUE, level + 1);
          } else {
            in.skipField(t);
          }
        }
        case ANY_VALUE -> {
          switch (field) {
            case 1 -> utf8(b, off, in, "attribute value");
            case 5 -> nested(b, off, in, Nested.ARRAY, level + 1);
            case 6 -> nested(b, off, in, Nested.KV_LIST, level + 1);
            default -> in.skipField(t);
          }
        }
        case ARRAY -> {
          if (field == 1) {
            nested(b, off, in, Nested.ANY_VALUE, level + 1);
          } else {
            in.skipField(t);
          }
        }
        case KV_LIST -> {
          if (field == 1) {
            keyValue(b, off, in, level + 1);
          } else {
            in.skipField(t);
          }
        }
        default -> in.skipField(t);
      }
    }
    if (kind == Nested.LINK && (traceId != 16 || spanId != 8)) {
      throw new InvalidOtlpException("a span link needs a 16-byte traceId and an 8-byte spanId, got " + Math.max(0, traceId)
          + " and " + Math.max(0, spanId) + " bytes");
    }
  }

  private static int skip(CodedInputStream in) throws IOException {
    int l = in.readRawVarint32();
    in.skipRawBytes(l);
    return l;
  }

  private static void utf8(byte[] b, int base, CodedInputStream in, String what) throws IOException, InvalidOtlpException {
    int l = in.readRawVarint32();
    int o = base + in.getTotalBytesRead();
    in.skipRawBytes(l);
    if (!validUtf8(b, o, l)) {
      throw new InvalidOtlpException("a " + what + " is not valid UTF-8 (protobuf strings must be)");
    }
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
