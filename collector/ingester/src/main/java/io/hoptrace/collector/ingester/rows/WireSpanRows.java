package io.hoptrace.collector.ingester.rows;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.hoptrace.collector.otlp.Wire;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.util.Base64;

/**
 * {@code ExportTraceServiceRequest} → {@code otel_traces} rows straight from the protobuf wire format:
 * spans, their attributes, events and links are never turned into objects; bytes of ids, names and
 * string values are copied into the RowBinary buffer as they are. (Resources and scopes, once per
 * request part, go through the generated classes.) Same output as a decode with the generated
 * classes; about three times cheaper (docs/benchmarks.md). Thread safe: no shared state.
 */
public final class WireSpanRows implements RecordConverter {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private static int tag(int field, int wireType) {
    return (field << 3) | wireType;
  }

  @Override
  public int convert(byte[] otlp, RowBatch out) throws InvalidProtocolBufferException {
    RowBatch.Checkpoint cp = out.checkpoint();
    try {
      return request(otlp, out);
    } catch (InvalidProtocolBufferException e) {
      out.rollback(cp); // a record that cannot be decoded adds no row at all
      throw e;
    } catch (IOException | RuntimeException e) {
      out.rollback(cp);
      throw new InvalidProtocolBufferException("malformed ExportTraceServiceRequest: " + e.getMessage());
    }
  }

  private int request(byte[] b, RowBatch out) throws IOException {
    int n = 0;
    CodedInputStream in = CodedInputStream.newInstance(b);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == tag(1, LEN)) {
        int len = in.readRawVarint32();
        int off = in.getTotalBytesRead();
        n += resourceSpans(b, off, len, out);
        in.skipRawBytes(len);
      } else {
        in.skipField(tag);
      }
    }
    return n;
  }

  private int resourceSpans(byte[] b, int off, int len, RowBatch out) throws IOException {
    // pass 1: the resource (it may come after the scopes on the wire); the same resource repeats in
    // every record of a request split per trace, so its encoding is cached by its bytes
    ResourceInfo resource = ResourceInfo.EMPTY;
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == tag(1, LEN)) {
        int rl = in.readRawVarint32();
        resource = ResourceInfo.of(b, off + in.getTotalBytesRead(), rl);
        in.skipRawBytes(rl);
      } else {
        in.skipField(tag);
      }
    }
    byte[] resourceAttributes = resource.attributes;
    String serviceName = resource.serviceName;
    int n = 0;
    in = CodedInputStream.newInstance(b, off, len);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == tag(2, LEN)) {
        int slen = in.readRawVarint32();
        int soff = off + in.getTotalBytesRead();
        n += scopeSpans(b, soff, slen, serviceName, resourceAttributes, out);
        in.skipRawBytes(slen);
      } else {
        in.skipField(tag);
      }
    }
    return n;
  }

  private int scopeSpans(byte[] b, int off, int len, String serviceName, byte[] resourceAttributes, RowBatch out) throws IOException {
    InstrumentationScope scope = InstrumentationScope.getDefaultInstance();
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == tag(1, LEN)) {
        int sl = in.readRawVarint32();
        scope = ResourceInfo.scope(b, off + in.getTotalBytesRead(), sl);
        in.skipRawBytes(sl);
      } else {
        in.skipField(tag);
      }
    }
    int n = 0;
    SpanView span = new SpanView();
    in = CodedInputStream.newInstance(b, off, len);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == tag(2, LEN)) {
        int slen = in.readRawVarint32();
        int soff = off + in.getTotalBytesRead();
        span.read(b, soff, slen);
        RowBinary rb = out.rows(Table.TRACES, span.start);
        span.write(b, rb, serviceName, resourceAttributes, scope);
        rb.endRow();
        n++;
        in.skipRawBytes(slen);
      } else {
        in.skipField(tag);
      }
    }
    return n;
  }

  /** Where a span's fields are in the request bytes (offset/length pairs); reused span after span. */
  static final class SpanView {
    int traceIdOff, traceIdLen, spanIdOff, spanIdLen, parentOff, parentLen, stateOff, stateLen, nameOff, nameLen;
    int kind;
    long start, end;
    int statusCode, statusMsgOff, statusMsgLen;
    final Positions attributes = new Positions();
    final Positions events = new Positions();
    final Positions links = new Positions();

    void read(byte[] b, int off, int len) throws IOException {
      traceIdLen = spanIdLen = parentLen = stateLen = nameLen = statusMsgLen = 0;
      kind = statusCode = 0;
      start = end = 0;
      attributes.clear();
      events.clear();
      links.clear();
      CodedInputStream in = CodedInputStream.newInstance(b, off, len);
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        int field = WireFormat.getTagFieldNumber(tag);
        int type = WireFormat.getTagWireType(tag);
        if (type == LEN && (field <= 5 || field == 9 || field == 11 || field == 13 || field == 15)) {
          int l = in.readRawVarint32();
          int o = off + in.getTotalBytesRead();
          switch (field) {
            case 1 -> { traceIdOff = o; traceIdLen = l; }
            case 2 -> { spanIdOff = o; spanIdLen = l; }
            case 3 -> { stateOff = o; stateLen = l; }
            case 4 -> { parentOff = o; parentLen = l; }
            case 5 -> { nameOff = o; nameLen = l; }
            case 9 -> attributes.add(o, l);
            case 11 -> events.add(o, l);
            case 13 -> links.add(o, l);
            case 15 -> status(b, o, l);
            default -> { }
          }
          in.skipRawBytes(l);
        } else if (field == 6 && type == WireFormat.WIRETYPE_VARINT) {
          kind = in.readEnum();
        } else if (field == 7 && type == WireFormat.WIRETYPE_FIXED64) {
          start = in.readFixed64();
        } else if (field == 8 && type == WireFormat.WIRETYPE_FIXED64) {
          end = in.readFixed64();
        } else {
          in.skipField(tag);
        }
      }
    }

    private void status(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return; // an empty status (unset): common, and nothing to read
      }
      CodedInputStream in = CodedInputStream.newInstance(b, off, len);
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        if (tag == tag(2, LEN)) {
          statusMsgLen = in.readRawVarint32();
          statusMsgOff = off + in.getTotalBytesRead();
          in.skipRawBytes(statusMsgLen);
        } else if (tag == tag(3, WireFormat.WIRETYPE_VARINT)) {
          statusCode = in.readEnum();
        } else {
          in.skipField(tag);
        }
      }
    }

    void write(byte[] b, RowBinary rb, String serviceName, byte[] resourceAttributes, InstrumentationScope scope) throws IOException {
      rb.dateTime64Nanos(start);
      rb.hexId(b, traceIdOff, traceIdLen);
      rb.hexId(b, spanIdOff, spanIdLen);
      rb.hexId(b, parentOff, parentLen);
      rb.bytes(b, stateOff, stateLen);
      rb.bytes(b, nameOff, nameLen);
      rb.string(SpanRows.kind(kind));
      rb.string(serviceName);
      rb.raw(resourceAttributes);
      rb.string(scope.getNameBytes());
      rb.string(scope.getVersionBytes());
      map(b, rb, attributes);
      rb.int64(Math.max(0, end - start));
      rb.string(SpanRows.statusCode(statusCode));
      rb.bytes(b, statusMsgOff, statusMsgLen);

      // Events: Timestamp, Name, Attributes (field 1 fixed64, 2 string, 3 KeyValue*)
      rb.varint(events.size);
      for (int i = 0; i < events.size; i++) {
        rb.dateTime64Nanos(fixed64Field(b, events.off[i], events.len[i], 1));
      }
      rb.varint(events.size);
      for (int i = 0; i < events.size; i++) {
        bytesField(b, events.off[i], events.len[i], 2, rb, false);
      }
      rb.varint(events.size);
      for (int i = 0; i < events.size; i++) {
        nestedMap(b, events.off[i], events.len[i], 3, rb);
      }
      // Links: TraceId, SpanId, TraceState, Attributes (fields 1, 2, 3, 4)
      rb.varint(links.size);
      for (int i = 0; i < links.size; i++) {
        bytesField(b, links.off[i], links.len[i], 1, rb, true);
      }
      rb.varint(links.size);
      for (int i = 0; i < links.size; i++) {
        bytesField(b, links.off[i], links.len[i], 2, rb, true);
      }
      rb.varint(links.size);
      for (int i = 0; i < links.size; i++) {
        bytesField(b, links.off[i], links.len[i], 3, rb, false);
      }
      rb.varint(links.size);
      for (int i = 0; i < links.size; i++) {
        nestedMap(b, links.off[i], links.len[i], 4, rb);
      }
    }
  }

  /** Writes a Map column from KeyValue messages at the given positions. */
  static void map(byte[] b, RowBinary rb, Positions kvs) throws IOException {
    rb.varint(kvs.size);
    for (int i = 0; i < kvs.size; i++) {
      keyValue(b, kvs.off[i], kvs.len[i], rb);
    }
  }

  /** KeyValue {1: key, 2: AnyValue} → key, value-as-string. */
  static void keyValue(byte[] b, int off, int len, RowBinary rb) throws IOException {
    if (stringKeyValue(b, off, len, rb)) {
      return;
    }
    int keyOff = 0, keyLen = 0, valOff = 0, valLen = -1;
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == tag(1, LEN)) {
        keyLen = in.readRawVarint32();
        keyOff = off + in.getTotalBytesRead();
        in.skipRawBytes(keyLen);
      } else if (tag == tag(2, LEN)) {
        valLen = in.readRawVarint32();
        valOff = off + in.getTotalBytesRead();
        in.skipRawBytes(valLen);
      } else {
        in.skipField(tag);
      }
    }
    rb.bytes(b, keyOff, keyLen);
    if (valLen < 0) {
      rb.varint(0);
    } else {
      anyValue(b, valOff, valLen, rb);
    }
  }

  /**
   * The common attribute, {key: "k", value: {string_value: "v"}} encoded in field order, read without
   * a decoder object: false (and nothing written) when the bytes have any other shape.
   */
  private static boolean stringKeyValue(byte[] b, int off, int len, RowBinary rb) {
    long sv = Wire.stringKeyValue(b, off, len);
    if (sv < 0) {
      return false;
    }
    long k = Wire.lengthAt(b, off + 1, off + len);
    rb.bytes(b, (int) (k >>> 32), (int) k);
    rb.bytes(b, (int) (sv >>> 32), (int) sv);
    return true;
  }

  /** AnyValue as pdata's AsString(): strings copied as bytes; other scalars formatted; composites as JSON. */
  static void anyValue(byte[] b, int off, int len, RowBinary rb) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    String value = "";
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          if (WireFormat.getTagWireType(tag) != LEN) {
            in.skipField(tag);
            continue;
          }
          int l = in.readRawVarint32();
          int o = off + in.getTotalBytesRead();
          in.skipRawBytes(l);
          if (in.isAtEnd()) {
            rb.bytes(b, o, l); // the common case: a string value, copied as is
            return;
          }
          value = new String(b, o, l, java.nio.charset.StandardCharsets.UTF_8);
        }
        case 2 -> value = in.readBool() ? "true" : "false";
        case 3 -> value = Long.toString(in.readInt64());
        case 4 -> value = AttributeStrings.number(in.readDouble());
        case 7 -> value = Base64.getEncoder().encodeToString(in.readByteArray());
        case 5, 6 -> {
          // arrays and maps are rare: let the generated classes build the JSON
          rb.string(AttributeStrings.asString(AnyValue.parseFrom(CodedInputStream.newInstance(b, off, len))));
          return;
        }
        default -> in.skipField(tag);
      }
    }
    rb.string(value);
  }

  private static long fixed64Field(byte[] b, int off, int len, int field) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    long v = 0;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == tag(field, WireFormat.WIRETYPE_FIXED64)) {
        v = in.readFixed64();
      } else {
        in.skipField(tag);
      }
    }
    return v;
  }

  private static void bytesField(byte[] b, int off, int len, int field, RowBinary rb, boolean hex) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    int vo = 0, vl = 0;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == tag(field, LEN)) {
        vl = in.readRawVarint32();
        vo = off + in.getTotalBytesRead();
        in.skipRawBytes(vl);
      } else {
        in.skipField(tag);
      }
    }
    if (hex) {
      rb.hexId(b, vo, vl);
    } else {
      rb.bytes(b, vo, vl);
    }
  }

  private static void nestedMap(byte[] b, int off, int len, int field, RowBinary rb) throws IOException {
    Positions kvs = new Positions();
    CodedInputStream in = CodedInputStream.newInstance(b, off, len);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == tag(field, LEN)) {
        int l = in.readRawVarint32();
        kvs.add(off + in.getTotalBytesRead(), l);
        in.skipRawBytes(l);
      } else {
        in.skipField(tag);
      }
    }
    map(b, rb, kvs);
  }

  /** A resource's encoded attribute map and service name, cached per thread by the resource's bytes. */
  static final class ResourceInfo {
    static final ResourceInfo EMPTY = new ResourceInfo(AttributeStrings.encodeMap(java.util.List.of()), "");
    private static final int MAX_CACHED = 1024;
    private static final ThreadLocal<java.util.Map<java.nio.ByteBuffer, Object>> CACHE =
        ThreadLocal.withInitial(java.util.HashMap::new);

    final byte[] attributes;
    final String serviceName;

    private ResourceInfo(byte[] attributes, String serviceName) {
      this.attributes = attributes;
      this.serviceName = serviceName;
    }

    private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

    static ResourceInfo of(byte[] b, int off, int len) throws IOException {
      // the same resource as the previous record (the usual case): one vectorised comparison, no hash
      Object[] last = LAST.get();
      if (last[0] instanceof byte[] bytes && java.util.Arrays.equals(bytes, 0, bytes.length, b, off, off + len)) {
        return (ResourceInfo) last[1];
      }
      ResourceInfo info = lookup(b, off, len);
      last[0] = java.util.Arrays.copyOfRange(b, off, off + len);
      last[1] = info;
      return info;
    }

    private static ResourceInfo lookup(byte[] b, int off, int len) throws IOException {
      java.util.Map<java.nio.ByteBuffer, Object> cache = CACHE.get();
      Object hit = cache.get(java.nio.ByteBuffer.wrap(b, off, len));
      if (hit instanceof ResourceInfo r) {
        return r;
      }
      Resource resource = Resource.parseFrom(CodedInputStream.newInstance(b, off, len));
      ResourceInfo info = new ResourceInfo(AttributeStrings.encodeMap(resource.getAttributesList()),
          AttributeStrings.serviceName(resource.getAttributesList()));
      put(cache, b, off, len, info);
      return info;
    }

    static InstrumentationScope scope(byte[] b, int off, int len) throws IOException {
      java.util.Map<java.nio.ByteBuffer, Object> cache = CACHE.get();
      Object hit = cache.get(java.nio.ByteBuffer.wrap(b, off, len));
      if (hit instanceof InstrumentationScope s) {
        return s;
      }
      InstrumentationScope scope = InstrumentationScope.parseFrom(CodedInputStream.newInstance(b, off, len));
      put(cache, b, off, len, scope);
      return scope;
    }

    private static void put(java.util.Map<java.nio.ByteBuffer, Object> cache, byte[] b, int off, int len, Object value) {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(java.nio.ByteBuffer.wrap(java.util.Arrays.copyOfRange(b, off, off + len)), value);
    }
  }

  /** A growable list of (offset, length) pairs. */
  static final class Positions {
    int[] off = new int[16];
    int[] len = new int[16];
    int size;

    void add(int o, int l) {
      if (size == off.length) {
        off = java.util.Arrays.copyOf(off, size * 2);
        len = java.util.Arrays.copyOf(len, size * 2);
      }
      off[size] = o;
      len[size] = l;
      size++;
    }

    void clear() {
      size = 0;
    }
  }
}
