package io.hoptrace.collector.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Random trace export requests for comparing the wire reader with the generated classes, reproducible
 * from a seed. {@link #request()} fills every field of every message of the trace tree (by its
 * descriptor: a field added to the protocol is covered without a change here) with values of every kind:
 * resource and scope attributes, every AnyValue type with nested arrays and key-value lists, events,
 * links, status, entity refs, dropped counts, flags, unknown enum numbers, empty messages.
 * {@link #encode} writes a message the way other senders may: fields in any order, scalars repeated (the
 * last wins), message fields split in two (protobuf merges them), defaults written out, unknown fields of
 * every wire type. The truth for a test is what {@code ExportTraceServiceRequest.parseFrom} makes of the bytes.
 */
public final class RandomTraces {
  private static final String TRACE = "opentelemetry.proto.trace.v1.";

  private final Random random;
  private final ByteString[] traceIds = new ByteString[4]; // few: a trace's spans spread over the request
  private boolean badIds;
  private int corruptString = -1;
  private int strings;

  public RandomTraces(long seed) {
    random = new Random(seed);
    for (int i = 0; i < traceIds.length; i++) {
      traceIds[i] = bytes(16);
    }
  }

  public Random random() {
    return random;
  }

  /** Ids of random lengths now and then (invalid for OTLP, valid protobuf). */
  public RandomTraces badIds(boolean on) {
    badIds = on;
    return this;
  }

  /** The next {@link #encode} writes its {@code n}th string (counting from 0) as invalid UTF-8; -1: none. */
  public RandomTraces corruptString(int n) {
    corruptString = n;
    return this;
  }

  public ExportTraceServiceRequest request() {
    return (ExportTraceServiceRequest) message(ExportTraceServiceRequest.newBuilder(), 0);
  }

  /** An attribute whose value is {@code levels} arrays or key-value lists deep (alternating at random). */
  public KeyValue deepAttribute(int levels) {
    AnyValue v = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < levels; i++) {
      v = random.nextBoolean()
          ? AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build()
          : AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("k").setValue(v))).build();
    }
    return KeyValue.newBuilder().setKey("deep").setValue(v).build();
  }

  /**
   * A random request plus one attribute {@code levels} arrays or key-value lists deep (each level adds two
   * or three messages of depth), on a span or on a resource (one level less deep).
   */
  public ExportTraceServiceRequest deepRequest(int levels) {
    KeyValue deep = deepAttribute(levels);
    ResourceSpans.Builder rs = ResourceSpans.newBuilder();
    if (random.nextBoolean()) {
      rs.setResource(Resource.newBuilder().addAttributes(deep));
    } else {
      rs.addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setTraceId(traceIds[0]).setSpanId(bytes(8)).addAttributes(deep)));
    }
    return request().toBuilder().addResourceSpans(rs).build();
  }

  private Message message(Message.Builder b, int depth) {
    for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
      if (f.getContainingOneof() != null) {
        continue;
      }
      if (f.isRepeated()) {
        int n = count(f, depth);
        for (int i = 0; i < n; i++) {
          b.addRepeatedField(f, value(b, f, depth));
        }
      } else if (required(f) || random.nextInt(4) != 0) {
        Object v = value(b, f, depth);
        if (v != null) {
          b.setField(f, v);
        }
      }
    }
    for (OneofDescriptor o : b.getDescriptorForType().getOneofs()) {
      if (random.nextInt(10) != 0) { // else: an empty AnyValue
        List<FieldDescriptor> members = o.getFields();
        FieldDescriptor f = members.get(random.nextInt(members.size()));
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth > 9) {
          f = members.get(0); // string_value: composites stop nesting here
        }
        b.setField(f, value(b, f, depth));
      }
    }
    return b.build();
  }

  private boolean required(FieldDescriptor f) {
    String name = f.getFullName();
    return name.equals(TRACE + "Span.trace_id") || name.equals(TRACE + "Span.span_id")
        || name.equals(TRACE + "Span.Link.trace_id") || name.equals(TRACE + "Span.Link.span_id");
  }

  private int count(FieldDescriptor f, int depth) {
    if (f.getName().equals("spans")) {
      return random.nextInt(7);
    }
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && f.getMessageType().getName().equals("AnyValue") || depth > 6) {
      return random.nextInt(3); // array values, and anything deep: few
    }
    return random.nextInt(4);
  }

  private Object value(Message.Builder parent, FieldDescriptor f, int depth) {
    String name = f.getFullName();
    if (name.equals(TRACE + "Span.trace_id") || name.equals(TRACE + "Span.Link.trace_id")) {
      return badIds && random.nextInt(20) == 0 ? bytes(random.nextInt(20)) : traceIds[random.nextInt(traceIds.length)];
    }
    if (name.equals(TRACE + "Span.span_id") || name.equals(TRACE + "Span.parent_span_id") || name.equals(TRACE + "Span.Link.span_id")) {
      return badIds && random.nextInt(20) == 0 ? bytes(random.nextInt(12)) : bytes(8);
    }
    switch (f.getJavaType()) {
      case MESSAGE:
        Message.Builder nested = parent.newBuilderForField(f);
        boolean hasIds = f.getMessageType().getFullName().equals(TRACE + "Span") || f.getMessageType().getFullName().equals(TRACE + "Span.Link");
        return !hasIds && random.nextInt(12) == 0 ? nested.build() : message(nested, depth + 1); // now and then an empty message
      case STRING:
        return string();
      case BYTE_STRING:
        return bytes(random.nextInt(12));
      case LONG:
        return longValue();
      case INT:
        return random.nextInt(3) == 0 ? 0 : random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(200);
      case BOOLEAN:
        return random.nextBoolean();
      case DOUBLE:
        return doubleValue();
      case ENUM:
        List<EnumValueDescriptor> values = f.getEnumType().getValues();
        return random.nextInt(8) == 0
            ? f.getEnumType().findValueByNumberCreatingIfUnknown(random.nextBoolean() ? 42 : -1) // unknown: kept as a number
            : values.get(random.nextInt(values.size()));
      default:
        throw new IllegalStateException("no random values for " + f.getJavaType() + " (" + name + ")");
    }
  }

  private long longValue() {
    switch (random.nextInt(5)) {
      case 0:
        return 0;
      case 1:
        return random.nextLong();
      case 2:
        return -random.nextInt(1000);
      default:
        return 1_700_000_000_000_000_000L + (random.nextLong() >>> 20); // nanoseconds around now, over many days
    }
  }

  private double doubleValue() {
    double[] special = {0.0, -0.0, 1e-7, 1e21, 123456789.125, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, Double.MAX_VALUE, 0.1, -3.5};
    return random.nextInt(3) == 0 ? special[random.nextInt(special.length)] : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
  }

  private String string() {
    String[] pieces = {"a", "service.name", "ü", "€", "𝄞", "\"", "\\", "\n", "\t", "<&>", "\u0001", " ", "kafka", "日本", "é"};
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      sb.append(pieces[random.nextInt(pieces.length)]);
    }
    return sb.toString();
  }

  private ByteString bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  /** The message's bytes as another sender may write them (see the class comment). */
  public byte[] encode(Message m) {
    strings = 0;
    return write(m);
  }

  private byte[] write(Message m) {
    List<Deque<byte[]>> fields = new ArrayList<>();
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      Deque<byte[]> q = new ArrayDeque<>();
      if (f.isRepeated()) {
        for (int i = 0; i < m.getRepeatedFieldCount(f); i++) {
          q.add(field(f, m.getRepeatedField(f, i)));
        }
      } else if (m.hasField(f)) {
        if (random.nextInt(6) == 0) {
          q.add(decoy(m, f)); // before the real one, which overrides it (scalars, oneof) or merges with it (messages)
        }
        q.add(field(f, m.getField(f)));
      } else if (f.getContainingOneof() == null && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE && random.nextInt(8) == 0) {
        q.add(field(f, f.getDefaultValue())); // a default written out: changes nothing
      }
      if (!q.isEmpty()) {
        fields.add(q);
      }
    }
    int unknown = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
    for (int i = 0; i < unknown; i++) {
      Deque<byte[]> q = new ArrayDeque<>();
      q.add(unknownField(0));
      fields.add(q);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean shuffled = random.nextBoolean();
    while (!fields.isEmpty()) {
      int i = shuffled ? random.nextInt(fields.size()) : 0; // shuffled: fields interleaved, each one's occurrences in order
      out.writeBytes(fields.get(i).poll());
      if (fields.get(i).isEmpty()) {
        fields.remove(i);
      }
    }
    return out.toByteArray();
  }

  /** An earlier occurrence of {@code f}: for a oneof member, of any member of the oneof. */
  private byte[] decoy(Message m, FieldDescriptor f) {
    FieldDescriptor d = f;
    if (f.getContainingOneof() != null) {
      List<FieldDescriptor> members = f.getContainingOneof().getFields();
      d = members.get(random.nextInt(members.size()));
    }
    Message.Builder builder = m.newBuilderForType();
    Object v = value(builder, d, 20); // deep: no nested composites
    return field(d, v);
  }

  private byte[] field(FieldDescriptor f, Object v) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(bytes);
    int n = f.getNumber();
    try {
      switch (f.getType()) {
        case STRING -> o.writeByteArray(n, utf8((String) v));
        case BYTES -> o.writeBytes(n, (ByteString) v);
        case MESSAGE -> o.writeByteArray(n, write((Message) v));
        case ENUM -> o.writeEnum(n, ((EnumValueDescriptor) v).getNumber());
        case INT64 -> o.writeInt64(n, (Long) v);
        case UINT32 -> o.writeUInt32(n, (Integer) v);
        case FIXED64 -> o.writeFixed64(n, (Long) v);
        case FIXED32 -> o.writeFixed32(n, (Integer) v);
        case BOOL -> o.writeBool(n, (Boolean) v);
        case DOUBLE -> o.writeDouble(n, (Double) v);
        default -> throw new IllegalStateException("no encoding for " + f.getType() + " (" + f.getFullName() + ")");
      }
      o.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private byte[] utf8(String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (strings++ != corruptString) {
      return b;
    }
    byte[][] invalid = {{(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}, {(byte) 0x80}};
    byte[] bad = invalid[random.nextInt(invalid.length)];
    int at = random.nextInt(b.length + 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, at);
    out.writeBytes(bad);
    out.write(b, at, b.length - at);
    return out.toByteArray();
  }

  /** A field no version of the protocol has, of a random wire type (groups nest a little). */
  private byte[] unknownField(int nesting) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(bytes);
    int n = 1000 + random.nextInt(5000);
    try {
      switch (random.nextInt(nesting < 2 ? 5 : 4)) {
        case 0 -> o.writeUInt64(n, random.nextLong());
        case 1 -> o.writeFixed64(n, random.nextLong());
        case 2 -> o.writeByteArray(n, bytes(random.nextInt(10)).toByteArray());
        case 3 -> o.writeFixed32(n, random.nextInt());
        default -> {
          o.writeTag(n, WireFormat.WIRETYPE_START_GROUP);
          int inner = random.nextInt(3);
          for (int i = 0; i < inner; i++) {
            o.writeRawBytes(unknownField(nesting + 1));
          }
          o.writeTag(n, WireFormat.WIRETYPE_END_GROUP);
        }
      }
      o.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
