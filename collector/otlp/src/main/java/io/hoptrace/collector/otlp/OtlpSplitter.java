package io.hoptrace.collector.otlp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.hoptrace.collector.otlp.wire.Envelope;
import io.hoptrace.collector.otlp.wire.EnvelopeReader;
import io.hoptrace.collector.otlp.wire.Slice;
import io.hoptrace.collector.otlp.wire.Slices;
import io.hoptrace.collector.otlp.wire.SpanView;
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
 * <p>The three signals share one shape (their {@link Envelope}), read with {@link EnvelopeReader}; a
 * span's trace id with {@link SpanView}.
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

  private record Item(int resource, int scope, int offset, int length) {}

  /** A resource or scope level's fields other than its children (copied into every part that has its items). */
  private record Level(Slices otherFields, int otherBytes) {
    static Level of(Slices otherFields) {
      int bytes = 0;
      for (int i = 0; i < otherFields.size(); i++) {
        bytes += otherFields.length(i);
      }
      return new Level(otherFields.copy(), bytes);
    }
  }

  private OtlpSplitter() {}

  /**
   * @param totalItems items of the whole request (reported when it stays one record)
   */
  public static List<Part> split(Signal signal, byte[] request, int totalItems, int maxBytes) throws InvalidOtlpException, ItemTooLargeException {
    boolean keyByTraceId = signal == Signal.TRACES; // key = the 16 id bytes
    if (!keyByTraceId && request.length <= maxBytes) {
      return List.of(new Part(null, request, totalItems)); // the common case: as received
    }
    List<Level> resources = new ArrayList<>();
    List<List<Level>> scopes = new ArrayList<>();
    Map<ByteBuffer, List<Item>> groups = new LinkedHashMap<>();
    try {
      parse(signal.envelope(), request, resources, scopes, groups, keyByTraceId);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidOtlpException("malformed protobuf: " + e.getMessage(), e);
    }
    if (groups.size() == 1 && request.length <= maxBytes) {
      ByteBuffer key = groups.keySet().iterator().next();
      return List.of(new Part(key == NO_KEY ? null : bytes(key), request, totalItems));
    }
    List<Part> parts = new ArrayList<>();
    for (Map.Entry<ByteBuffer, List<Item>> g : groups.entrySet()) {
      byte[] key = g.getKey() == NO_KEY ? null : bytes(g.getKey());
      emit(signal.envelope(), request, resources, scopes, g.getValue(), maxBytes, key, parts);
    }
    return parts;
  }

  private static final ByteBuffer NO_KEY = ByteBuffer.allocate(0);

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** Records where every level's other fields and every item are (unknown request-level fields are not carried over). */
  private static void parse(Envelope envelope, byte[] buf, List<Level> resources, List<List<Level>> scopes,
      Map<ByteBuffer, List<Item>> groups, boolean keyByTraceId) throws InvalidProtocolBufferException {
    EnvelopeReader request = new EnvelopeReader(envelope, false);
    request.read(buf);
    SpanView span = new SpanView();
    while (request.nextResource()) {
      resources.add(Level.of(request.resourceLevel().otherFields));
      List<Level> resourceScopes = new ArrayList<>();
      scopes.add(resourceScopes);
      while (request.nextScope()) {
        resourceScopes.add(Level.of(request.scopeLevel().otherFields));
        while (request.nextItem()) {
          ByteBuffer key = NO_KEY;
          if (keyByTraceId) {
            span.read(request.cursor()); // the trace id that counts is the last one on the wire, as in protobuf
            Slice id = span.traceId;
            key = id.length() == 0 ? NO_KEY : ByteBuffer.wrap(buf, id.offset(), id.length()).slice();
          }
          groups.computeIfAbsent(key, k -> new ArrayList<>())
              .add(new Item(request.resourceIndex(), request.scopeIndex(), request.itemOffset(), request.itemLength()));
        }
      }
    }
  }

  /** Writes one group's items into as few records as the size limit allows. */
  private static void emit(Envelope envelope, byte[] buf, List<Level> resources, List<List<Level>> scopes, List<Item> items, int maxBytes,
      byte[] key, List<Part> out) throws ItemTooLargeException {
    List<Item> current = new ArrayList<>();
    long estimate = 0;
    int lastR = -1;
    int lastS = -1;
    for (Item it : items) {
      long add = 5 + it.length();
      boolean newScope = it.resource() != lastR || it.scope() != lastS;
      if (newScope) {
        add += 10 + scopes.get(it.resource()).get(it.scope()).otherBytes();
        if (it.resource() != lastR) {
          add += 5 + resources.get(it.resource()).otherBytes();
        }
      }
      if (!current.isEmpty() && estimate + add > maxBytes) {
        out.add(new Part(key, write(envelope, buf, resources, scopes, current), current.size()));
        current = new ArrayList<>();
        estimate = 0;
        lastR = -1;
        lastS = -1;
        add = 20 + it.length() + scopes.get(it.resource()).get(it.scope()).otherBytes() + resources.get(it.resource()).otherBytes();
      }
      if (current.isEmpty() && add > maxBytes) {
        throw new ItemTooLargeException("one item of " + it.length() + " bytes (with its resource and scope "
            + add + " bytes) exceeds the largest Kafka record the topic accepts (" + maxBytes + " bytes)");
      }
      current.add(it);
      estimate += add;
      lastR = it.resource();
      lastS = it.scope();
    }
    if (!current.isEmpty()) {
      out.add(new Part(key, write(envelope, buf, resources, scopes, current), current.size()));
    }
  }

  /** Serialises items (in request order) with their resource and scope headers. */
  private static byte[] write(Envelope envelope, byte[] buf, List<Level> resources, List<List<Level>> scopes, List<Item> items) {
    // pass 1: exact sizes of every scope and resource message in this part
    List<int[]> runs = new ArrayList<>(); // {resource, scope, firstItem, lastItemExclusive, scopeLen}
    int i = 0;
    while (i < items.size()) {
      Item first = items.get(i);
      int j = i;
      int len = scopes.get(first.resource()).get(first.scope()).otherBytes();
      while (j < items.size() && items.get(j).resource() == first.resource() && items.get(j).scope() == first.scope()) {
        int l = items.get(j).length();
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
      int len = resources.get(r).otherBytes();
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
        o.writeTag(envelope.resourceLevels(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(rr[3]);
        writeAll(o, buf, res.otherFields);
        for (int q = rr[1]; q < rr[2]; q++) {
          int[] run = runs.get(q);
          Level scope = scopes.get(run[0]).get(run[1]);
          o.writeTag(envelope.scopeLevels(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
          o.writeUInt32NoTag(run[4]);
          writeAll(o, buf, scope.otherFields);
          for (int x = run[2]; x < run[3]; x++) {
            Item it = items.get(x);
            o.writeTag(envelope.items(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(it.length());
            o.writeRawBytes(buf, it.offset(), it.length());
          }
        }
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("sizing error while splitting an OTLP request", e);
    }
    return out;
  }

  private static void writeAll(CodedOutputStream o, byte[] buf, Slices fields) throws IOException {
    for (int i = 0; i < fields.size(); i++) {
      o.writeRawBytes(buf, fields.offset(i), fields.length(i));
    }
  }
}
