package io.hoptrace.collector.ingester.rows;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;

/** {@code ExportTraceServiceRequest} → {@code otel_traces} rows, with the clickhouseexporter's value spellings. */
public final class SpanRows implements RecordConverter {

  @Override
  public int convert(byte[] otlp, int offset, int length, RowBatch out) throws InvalidProtocolBufferException {
    ExportTraceServiceRequest req = ExportTraceServiceRequest.parser().parseFrom(otlp, offset, length);
    int n = 0;
    for (ResourceSpans rs : req.getResourceSpansList()) {
      byte[] resourceAttributes = AttributeStrings.encodeMap(rs.getResource().getAttributesList());
      String serviceName = AttributeStrings.serviceName(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          RowBinary rb = out.rows(Table.TRACES, span.getStartTimeUnixNano());
          write(rb, span, serviceName, resourceAttributes, ss);
          rb.endRow();
          n++;
        }
      }
    }
    return n;
  }

  private static void write(RowBinary rb, Span span, String serviceName, byte[] resourceAttributes, ScopeSpans ss) {
    long start = span.getStartTimeUnixNano();
    long end = span.getEndTimeUnixNano();
    rb.dateTime64Nanos(start);
    rb.hexId(span.getTraceId());
    rb.hexId(span.getSpanId());
    rb.hexId(span.getParentSpanId());
    rb.string(span.getTraceStateBytes());
    rb.string(span.getNameBytes());
    rb.string(kind(span.getKindValue()));
    rb.string(serviceName);
    rb.raw(resourceAttributes);
    rb.string(ss.getScope().getNameBytes());
    rb.string(ss.getScope().getVersionBytes());
    AttributeStrings.writeMap(rb, span.getAttributesList());
    rb.int64(Math.max(0, end - start));
    rb.string(statusCode(span.getStatus().getCodeValue()));
    rb.string(span.getStatus().getMessageBytes());

    List<Span.Event> events = span.getEventsList();
    rb.varint(events.size());
    for (Span.Event e : events) {
      rb.dateTime64Nanos(e.getTimeUnixNano());
    }
    rb.varint(events.size());
    for (Span.Event e : events) {
      rb.string(e.getNameBytes());
    }
    rb.varint(events.size());
    for (Span.Event e : events) {
      AttributeStrings.writeMap(rb, e.getAttributesList());
    }

    List<Span.Link> links = span.getLinksList();
    rb.varint(links.size());
    for (Span.Link l : links) {
      rb.hexId(l.getTraceId());
    }
    rb.varint(links.size());
    for (Span.Link l : links) {
      rb.hexId(l.getSpanId());
    }
    rb.varint(links.size());
    for (Span.Link l : links) {
      rb.string(l.getTraceStateBytes());
    }
    rb.varint(links.size());
    for (Span.Link l : links) {
      AttributeStrings.writeMap(rb, l.getAttributesList());
    }
  }

  /** pdata {@code SpanKind.String()}: what the clickhouseexporter stores. */
  static String kind(int kind) {
    switch (kind) {
      case Span.SpanKind.SPAN_KIND_INTERNAL_VALUE: return "Internal";
      case Span.SpanKind.SPAN_KIND_SERVER_VALUE: return "Server";
      case Span.SpanKind.SPAN_KIND_CLIENT_VALUE: return "Client";
      case Span.SpanKind.SPAN_KIND_PRODUCER_VALUE: return "Producer";
      case Span.SpanKind.SPAN_KIND_CONSUMER_VALUE: return "Consumer";
      case Span.SpanKind.SPAN_KIND_UNSPECIFIED_VALUE: return "Unspecified";
      default: return "";
    }
  }

  /** pdata {@code StatusCode.String()}. */
  static String statusCode(int code) {
    switch (code) {
      case Status.StatusCode.STATUS_CODE_OK_VALUE: return "Ok";
      case Status.StatusCode.STATUS_CODE_ERROR_VALUE: return "Error";
      default: return "Unset";
    }
  }
}
