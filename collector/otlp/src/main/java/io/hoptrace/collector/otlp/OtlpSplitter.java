package io.hoptrace.collector.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a validated export request into Kafka record values: one group per trace id for spans (so a
 * trace's spans share a key and a partition), and records no larger than {@code maxBytes}, repeating
 * the resource and scope around each part. Works on the protobuf wire format: spans, metrics and log
 * records are copied as bytes, never decoded or re-encoded.
 *
 * <p>All three signals share one shape: request {1: resource-level*}, resource-level {2: scope-level*,
 * other fields}, scope-level {2: item*, other fields}; a span's trace id is its field 1.
 */
public final class OtlpSplitter {
  /** One Kafka record: its key (the trace id for spans, null otherwise), value and item count. */
  public record Part(byte[] key, byte[] value, int items) {}

  /** A single item (span, metric, log record) that alone exceeds the record size limit. */
  public static final class ItemTooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    ItemTooLargeException(String message) {
      super(message);
    }
  }

  private record Slice(int offset, int length) {}

  private record Item(int resource, int scope, Slice bytes) {}

  private static final class Level {
    final List<Slice> otherFields = new ArrayList<>(2);
    int otherBytes;
  }

  private OtlpSplitter() {}

  /**
   * @param totalItems items of the whole request (reported when it stays one record)
   * @param keyByTraceId group spans by trace id (key = the 16 id bytes)
   */
  public static List<Part> split(byte[] request, int totalItems, int maxBytes, boolean keyByTraceId) throws InvalidOtlpException, ItemTooLargeException {
    if (!keyByTraceId && request.length <= maxBytes) {
      return List.of(new Part(null, request, totalItems)); // the common case: as received
    }
    List<Level> resources = new ArrayList<>();
    List<List<Level>> scopes = new ArrayList<>();
    Map<ByteBuffer, List<Item>> groups = new LinkedHashMap<>();
    try {
      parse(request, resources, scopes, groups, keyByTraceId);
    } catch (IOException e) {
      throw new InvalidOtlpException("malformed protobuf: " + e.getMessage(), e);
    }
    if (groups.size() == 1 && request.length <= maxBytes) {
      ByteBuffer key = groups.keySet().iterator().next();
      return List.of(new Part(key == NO_KEY ? null : bytes(key), request, totalItems));
    }
    List<Part> parts = new ArrayList<>();
    for (Map.Entry<ByteBuffer, List<Item>> g : groups.entrySet()) {
      byte[] key = g.getKey() == NO_KEY ? null : bytes(g.getKey());
      emit(request, resources, scopes, g.getValue(), maxBytes, key, parts);
    }
    return parts;
  }

  private static final ByteBuffer NO_KEY = ByteBuffer.allocate(0);

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static void parse(byte[] buf, List<Level> resources, List<List<Level>> scopes, Map<ByteBuffer, List<Item>> groups,
      boolean keyByTraceId) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(buf);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (WireFormat.getTagFieldNumber(tag) == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int len = in.readRawVarint32();
        int off = in.getTotalBytesRead();
        int r = resources.size();
        Level res = new Level();
        List<Level> resScopes = new ArrayList<>();
        resources.add(res);
        scopes.add(resScopes);
        parseResource(buf, off, len, r, res, resScopes, groups, keyByTraceId);
        in.skipRawBytes(len);
      } else {
        in.skipField(tag); // unknown request-level field: not carried over
      }
    }
  }

  private static void parseResource(byte[] buf, int off, int len, int r, Level res, List<Level> resScopes,
      Map<ByteBuffer, List<Item>> groups, boolean keyByTraceId) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(buf, off, len);
    while (!in.isAtEnd()) {
      int start = off + in.getTotalBytesRead();
      int tag = in.readTag();
      if (WireFormat.getTagFieldNumber(tag) == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int slen = in.readRawVarint32();
        int soff = off + in.getTotalBytesRead();
        Level scope = new Level();
        int s = resScopes.size();
        resScopes.add(scope);
        parseScope(buf, soff, slen, r, s, scope, groups, keyByTraceId);
        in.skipRawBytes(slen);
      } else {
        in.skipField(tag);
        int end = off + in.getTotalBytesRead();
        res.otherFields.add(new Slice(start, end - start));
        res.otherBytes += end - start;
      }
    }
  }

  private static void parseScope(byte[] buf, int off, int len, int r, int s, Level scope, Map<ByteBuffer, List<Item>> groups,
      boolean keyByTraceId) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(buf, off, len);
    while (!in.isAtEnd()) {
      int start = off + in.getTotalBytesRead();
      int tag = in.readTag();
      if (WireFormat.getTagFieldNumber(tag) == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int ilen = in.readRawVarint32();
        int ioff = off + in.getTotalBytesRead();
        ByteBuffer key = keyByTraceId ? traceId(buf, ioff, ilen) : NO_KEY;
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Item(r, s, new Slice(ioff, ilen)));
        in.skipRawBytes(ilen);
      } else {
        in.skipField(tag);
        int end = off + in.getTotalBytesRead();
        scope.otherFields.add(new Slice(start, end - start));
        scope.otherBytes += end - start;
      }
    }
  }

  /** Field 1 (bytes trace_id) of a span, as a view into the request; validated before we get here. */
  private static ByteBuffer traceId(byte[] buf, int off, int len) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(buf, off, len);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (WireFormat.getTagFieldNumber(tag) == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int idLen = in.readRawVarint32();
        return ByteBuffer.wrap(buf, off + in.getTotalBytesRead(), idLen).slice();
      }
      in.skipField(tag);
    }
    return NO_KEY;
  }

  /** Writes one group's items into as few records as the size limit allows. */
  private static void emit(byte[] buf, List<Level> resources, List<List<Level>> scopes, List<Item> items, int maxBytes,
      byte[] key, List<Part> out) throws ItemTooLargeException {
    List<Item> current = new ArrayList<>();
    long estimate = 0;
    int lastR = -1;
    int lastS = -1;
    for (Item it : items) {
      long add = 5 + it.bytes().length();
      boolean newScope = it.resource() != lastR || it.scope() != lastS;
      if (newScope) {
        add += 10 + scopes.get(it.resource()).get(it.scope()).otherBytes;
        if (it.resource() != lastR) {
          add += 5 + resources.get(it.resource()).otherBytes;
        }
      }
      if (!current.isEmpty() && estimate + add > maxBytes) {
        out.add(new Part(key, write(buf, resources, scopes, current), current.size()));
        current = new ArrayList<>();
        estimate = 0;
        lastR = -1;
        lastS = -1;
        add = 20 + it.bytes().length() + scopes.get(it.resource()).get(it.scope()).otherBytes + resources.get(it.resource()).otherBytes;
      }
      if (current.isEmpty() && add > maxBytes) {
        throw new ItemTooLargeException("one item of " + it.bytes().length() + " bytes (with its resource and scope "
            + add + " bytes) exceeds the largest Kafka record the topic accepts (" + maxBytes + " bytes)");
      }
      current.add(it);
      estimate += add;
      lastR = it.resource();
      lastS = it.scope();
    }
    if (!current.isEmpty()) {
      out.add(new Part(key, write(buf, resources, scopes, current), current.size()));
    }
  }

  /** Serialises items (in request order) with their resource and scope headers. */
  static byte[] write(byte[] buf, List<Level> resources, List<List<Level>> scopes, List<Item> items) {
    // pass 1: exact sizes of every scope and resource message in this part
    List<int[]> runs = new ArrayList<>(); // {resource, scope, firstItem, lastItemExclusive, scopeLen}
    int i = 0;
    while (i < items.size()) {
      Item first = items.get(i);
      int j = i;
      int len = scopes.get(first.resource()).get(first.scope()).otherBytes;
      while (j < items.size() && items.get(j).resource() == first.resource() && items.get(j).scope() == first.scope()) {
        int l = items.get(j).bytes().length();
        len += 1 + CodedOutputStream.computeUInt32SizeNoTag(l) + l;
        j++;
      }
      runs.add(new int[] {first.resource(), first.scope(), i, j, len});
      i = j;
    }
    List<int[]> resRuns = new ArrayList<>(); // {resource, firstRun, lastRunExclusive, resourceLen}
    int k = 0;
    int total = 0;
    while (k < runs.size()) {
      int r = runs.get(k)[0];
      int m = k;
      int len = resources.get(r).otherBytes;
      while (m < runs.size() && runs.get(m)[0] == r) {
        int sl = runs.get(m)[4];
        len += 1 + CodedOutputStream.computeUInt32SizeNoTag(sl) + sl;
        m++;
      }
      resRuns.add(new int[] {r, k, m, len});
      total += 1 + CodedOutputStream.computeUInt32SizeNoTag(len) + len;
      k = m;
    }
    // pass 2: write
    byte[] out = new byte[total];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (int[] rr : resRuns) {
        Level res = resources.get(rr[0]);
        o.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(rr[3]);
        for (Slice f : res.otherFields) {
          o.writeRawBytes(buf, f.offset(), f.length());
        }
        for (int q = rr[1]; q < rr[2]; q++) {
          int[] run = runs.get(q);
          Level scope = scopes.get(run[0]).get(run[1]);
          o.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          o.writeUInt32NoTag(run[4]);
          for (Slice f : scope.otherFields) {
            o.writeRawBytes(buf, f.offset(), f.length());
          }
          for (int x = run[2]; x < run[3]; x++) {
            Slice s = items.get(x).bytes();
            o.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(s.length());
            o.writeRawBytes(buf, s.offset(), s.length());
          }
        }
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("sizing error while splitting an OTLP request", e);
    }
    return out;
  }
}
