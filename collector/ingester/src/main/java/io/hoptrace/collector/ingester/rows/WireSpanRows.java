package io.hoptrace.collector.ingester.rows;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hoptrace.collector.otlp.wire.AnyValueView;
import io.hoptrace.collector.otlp.wire.Envelope;
import io.hoptrace.collector.otlp.wire.EnvelopeReader;
import io.hoptrace.collector.otlp.wire.EventView;
import io.hoptrace.collector.otlp.wire.KeyValueView;
import io.hoptrace.collector.otlp.wire.LinkView;
import io.hoptrace.collector.otlp.wire.ResourceView;
import io.hoptrace.collector.otlp.wire.ScopeView;
import io.hoptrace.collector.otlp.wire.Slice;
import io.hoptrace.collector.otlp.wire.Slices;
import io.hoptrace.collector.otlp.wire.SpanView;
import io.hoptrace.collector.otlp.wire.WireCursor;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ExportTraceServiceRequest} → {@code otel_traces} rows straight from the protobuf wire format,
 * read with collector-otlp's wire reader: spans, their attributes, events and links are never turned
 * into objects; bytes of ids, names and string values are copied into the RowBinary buffer as they are.
 * Same rows as {@link SpanRows} (the generated classes), which the tests check on random requests;
 * about three times cheaper than a decode with them (docs/benchmarks.md).
 * Thread safe: the reader's views are per thread.
 */
public final class WireSpanRows implements RecordConverter {
  private static final ThreadLocal<Conversion> CONVERSION = ThreadLocal.withInitial(Conversion::new);

  @Override
  public int convert(byte[] otlp, int offset, int length, RowBatch out) throws InvalidProtocolBufferException {
    RowBatch.Checkpoint cp = out.checkpoint();
    try {
      return CONVERSION.get().rows(otlp, offset, length, out);
    } catch (InvalidProtocolBufferException e) {
      out.rollback(cp); // a record that cannot be decoded adds no row at all
      throw e;
    } catch (RuntimeException e) {
      out.rollback(cp);
      throw new InvalidProtocolBufferException("malformed ExportTraceServiceRequest: " + e);
    }
  }

  /** One thread's reader and views, reused record after record. */
  private static final class Conversion {
    private static final byte[] SERVICE_NAME = "service.name".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_CACHED = 1024;
    private static final int NESTED_COLUMNS = 7;

    private final EnvelopeReader request = new EnvelopeReader(Envelope.TRACES, false);
    private final SpanView span = new SpanView();
    private final EventView event = new EventView();
    private final LinkView link = new LinkView();
    private final ScopeView scope = new ScopeView();
    private final ResourceView resource = new ResourceView();
    private final KeyValueView keyValue = new KeyValueView();
    private final AnyValueView value = new AnyValueView();
    /** A resource's encoded attribute map and service name, by the resource's bytes: the same resource repeats in every record of a request. */
    private final Map<ByteBuffer, ResourceColumns> resources = new HashMap<>();
    private byte[] lastResource;
    private ResourceColumns lastColumns;

    int rows(byte[] b, int offset, int length, RowBatch out) throws InvalidProtocolBufferException {
      request.read(b, offset, length);
      WireCursor c = request.cursor();
      int n = 0;
      while (request.nextResource()) {
        ResourceColumns resourceColumns = resource(c, request.resourceLevel().header);
        while (request.nextScope()) {
          scope.read(c, request.scopeLevel().header);
          while (request.nextItem()) {
            span.read(c);
            RowBinary rb = out.rows(Table.TRACES, span.startTimeUnixNano.asLong());
            write(c, rb, resourceColumns);
            rb.endRow();
            n++;
          }
        }
      }
      return n;
    }

    /** The columns in Table.TRACES order. */
    private void write(WireCursor c, RowBinary rb, ResourceColumns resourceColumns) throws InvalidProtocolBufferException {
      byte[] b = c.bytes();
      rb.dateTime64Nanos(span.startTimeUnixNano.asLong());
      hexId(rb, b, span.traceId);
      hexId(rb, b, span.spanId);
      hexId(rb, b, span.parentSpanId);
      string(rb, b, span.traceState);
      string(rb, b, span.name);
      rb.string(SpanRows.kind(span.kind.asInt()));
      rb.string(resourceColumns.serviceName());
      rb.raw(resourceColumns.attributes());
      string(rb, b, scope.name);
      string(rb, b, scope.version);
      map(c, rb, span.attributes.keyValues);
      rb.int64(Math.max(0, span.endTimeUnixNano.asLong() - span.startTimeUnixNano.asLong()));
      rb.string(SpanRows.statusCode(span.statusCode.asInt()));
      string(rb, b, span.statusMessage);

      for (int column = 0; column < NESTED_COLUMNS; column++) {
        nestedColumn(c, rb, column);
      }
    }

    /**
     * Column {@code column} of Events.Timestamp, Events.Name, Events.Attributes, Links.TraceId,
     * Links.SpanId, Links.TraceState, Links.Attributes: an array with an element per event (link).
     */
    private void nestedColumn(WireCursor c, RowBinary rb, int column) throws InvalidProtocolBufferException {
      byte[] b = c.bytes();
      boolean ofEvents = column < 3;
      Slices nested = ofEvents ? span.events : span.links;
      rb.varint(nested.size());
      for (int i = 0; i < nested.size(); i++) {
        c.seek(nested, i);
        (ofEvents ? event : link).read(c);
        switch (column) {
          case 0 -> rb.dateTime64Nanos(event.timeUnixNano.asLong());
          case 1 -> string(rb, b, event.name);
          case 2 -> map(c, rb, event.attributes.keyValues);
          case 3 -> hexId(rb, b, link.traceId);
          case 4 -> hexId(rb, b, link.spanId);
          case 5 -> string(rb, b, link.traceState);
          default -> map(c, rb, link.attributes.keyValues);
        }
      }
    }

    /** A Map(String, String) column from KeyValue messages: key, value as the exporter spells it. */
    private void map(WireCursor c, RowBinary rb, Slices keyValues) throws InvalidProtocolBufferException {
      byte[] b = c.bytes();
      rb.varint(keyValues.size());
      for (int i = 0; i < keyValues.size(); i++) {
        c.seek(keyValues, i);
        keyValue.read(c);
        string(rb, b, keyValue.key);
        value.read(c, keyValue.value);
        if (value.kind() == AnyValue.ValueCase.STRING_VALUE) {
          string(rb, b, value.bytes); // the common case: copied as it is
        } else {
          rb.string(asString(b, keyValue.value));
        }
      }
    }

    /** AnyValue as pdata's AsString() (AttributeStrings), for the value just read. */
    private String asString(byte[] b, Slices occurrences) throws InvalidProtocolBufferException {
      switch (value.kind()) {
        case BOOL_VALUE:
          return value.boolValue() ? "true" : "false";
        case INT_VALUE:
          return Long.toString(value.intValue());
        case DOUBLE_VALUE:
          return AttributeStrings.number(value.doubleValue());
        case BYTES_VALUE:
          Slice bytes = value.bytes;
          return Base64.getEncoder().encodeToString(Arrays.copyOfRange(b, bytes.offset(), bytes.offset() + bytes.length()));
        case ARRAY_VALUE:
        case KVLIST_VALUE:
          // rare: the generated classes build the JSON, from the value's bytes (all its occurrences, merged)
          ByteBuffer any = occurrences.size() == 1 ? ByteBuffer.wrap(b, occurrences.offset(0), occurrences.length(0))
              : ByteBuffer.wrap(occurrences.joined(b));
          return AttributeStrings.asString(AnyValue.parseFrom(any));
        default:
          return "";
      }
    }

    /** The resource's columns, cached by its bytes (all its occurrences, merged, when the sender split it). */
    private ResourceColumns resource(WireCursor c, Slices occurrences) throws InvalidProtocolBufferException {
      if (occurrences.size() == 0) {
        return ResourceColumns.EMPTY;
      }
      byte[] joined = occurrences.size() == 1 ? null : occurrences.joined(c.bytes());
      byte[] src = joined == null ? c.bytes() : joined;
      int off = joined == null ? occurrences.offset(0) : 0;
      int len = joined == null ? occurrences.length(0) : joined.length;
      // the same resource as the previous record (the usual case): one vectorised comparison, no hash
      if (lastResource != null && Arrays.equals(lastResource, 0, lastResource.length, src, off, off + len)) {
        return lastColumns;
      }
      ResourceColumns columns = resources.get(ByteBuffer.wrap(src, off, len));
      if (columns == null) {
        columns = encode(c, occurrences, Arrays.copyOfRange(src, off, off + len));
        if (resources.size() >= MAX_CACHED) {
          resources.clear();
        }
        resources.put(ByteBuffer.wrap(columns.resource()), columns);
      }
      // the cached copy of the resource's bytes, not a new one per record (a record is often one small trace)
      lastResource = columns.resource();
      lastColumns = columns;
      return columns;
    }

    private ResourceColumns encode(WireCursor c, Slices occurrences, byte[] resourceBytes) throws InvalidProtocolBufferException {
      byte[] b = c.bytes();
      resource.read(c, occurrences);
      Slices attributes = resource.attributes.keyValues;
      RowBinary rb = new RowBinary(64 + attributes.size() * 48);
      map(c, rb, attributes);
      String serviceName = "";
      for (int i = 0; i < attributes.size(); i++) {
        c.seek(attributes, i);
        keyValue.read(c);
        Slice k = keyValue.key;
        if (Arrays.equals(b, k.offset(), k.offset() + k.length(), SERVICE_NAME, 0, SERVICE_NAME.length)) {
          value.read(c, keyValue.value);
          if (value.kind() == AnyValue.ValueCase.STRING_VALUE) {
            serviceName = new String(b, value.bytes.offset(), value.bytes.length(), StandardCharsets.UTF_8);
            break; // the first service.name with a string value, like AttributeStrings.serviceName
          }
        }
      }
      return new ResourceColumns(resourceBytes, rb.toByteArray(), serviceName);
    }

    private static void string(RowBinary rb, byte[] b, Slice s) {
      rb.bytes(b, s.offset(), s.length());
    }

    private static void hexId(RowBinary rb, byte[] b, Slice s) {
      rb.hexId(b, s.offset(), s.length());
    }
  }

  /** A resource's bytes (its cache key), its ResourceAttributes column (encoded once) and ServiceName. */
  private record ResourceColumns(byte[] resource, byte[] attributes, String serviceName) {
    static final ResourceColumns EMPTY = new ResourceColumns(new byte[0], AttributeStrings.encodeMap(java.util.List.of()), "");
  }
}
