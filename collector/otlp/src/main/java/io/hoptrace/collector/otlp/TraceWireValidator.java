package io.hoptrace.collector.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hoptrace.collector.otlp.wire.Envelope;
import io.hoptrace.collector.otlp.wire.EnvelopeReader;
import io.hoptrace.collector.otlp.wire.LinkView;
import io.hoptrace.collector.otlp.wire.Slices;
import io.hoptrace.collector.otlp.wire.SpanView;
import io.hoptrace.collector.otlp.wire.WireCursor;

/**
 * Validates a protobuf {@code ExportTraceServiceRequest} on the wire (a strict {@link WireCursor}),
 * without building objects for spans: accepts and refuses what a full decode with the generated classes
 * would (bounds, UTF-8 strings, the recursion limit, unknown fields skipped), and then what
 * {@link OtlpDecoder} asks of a decoded request: ids of their W3C length. Counts the spans.
 */
final class TraceWireValidator {
  private TraceWireValidator() {}

  /** @return the number of spans; throws naming the first problem */
  static int validate(byte[] b) throws InvalidOtlpException {
    try {
      EnvelopeReader request = new EnvelopeReader(Envelope.TRACES, true); // strict: reads every field of the levels
      request.read(b);
      WireCursor c = request.cursor();
      SpanView span = new SpanView();
      LinkView link = new LinkView();
      int spans = 0;
      while (request.nextResource()) {
        while (request.nextScope()) {
          while (request.nextItem()) {
            span.read(c); // strict: every field of the span, its attributes, events and links
            int traceId = span.traceId.length();
            int spanId = span.spanId.length();
            int parent = span.parentSpanId.length();
            if (traceId != 16 || spanId != 8 || parent != 0 && parent != 8) {
              String where = where(request);
              id(traceId, 16, false, where + ".traceId");
              id(spanId, 8, false, where + ".spanId");
              id(parent, 8, true, where + ".parentSpanId");
            }
            Slices links = span.links;
            for (int l = 0; l < links.size(); l++) {
              c.seek(links, l);
              link.read(c);
              if (link.traceId.length() != 16 || link.spanId.length() != 8) {
                String where = where(request) + ".links[" + l + "]";
                id(link.traceId.length(), 16, false, where + ".traceId");
                id(link.spanId.length(), 8, false, where + ".spanId");
              }
            }
            spans++;
          }
        }
      }
      return spans;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new InvalidOtlpException("the body is not a valid protobuf ExportTraceServiceRequest: " + e.getMessage(), e);
    }
  }

  private static String where(EnvelopeReader request) {
    return "resourceSpans[" + request.resourceIndex() + "].scopeSpans[" + request.scopeIndex() + "].spans[" + request.itemIndex() + "]";
  }

  private static void id(int length, int expected, boolean optional, String where) throws InvalidOtlpException {
    if (length != expected && !(optional && length == 0)) {
      throw new InvalidOtlpException(where + " must be " + expected + " bytes" + (optional ? " or empty" : "") + ", got " + length + " bytes");
    }
  }
}
