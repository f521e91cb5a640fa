package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * A {@code Span}: its ids and strings (where they are), its numbers, its status (read in place), and
 * where its attributes, events and links are. Scalars that occur twice: the last one wins, as in protobuf.
 * Like every view, a flyweight: its slices are refilled by each read.
 */
public final class SpanView extends MessageView {
  private static final int TRACE_ID = Span.TRACE_ID_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int SPAN_ID = Span.SPAN_ID_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int TRACE_STATE = Span.TRACE_STATE_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int PARENT_SPAN_ID = Span.PARENT_SPAN_ID_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int FLAGS = Span.FLAGS_FIELD_NUMBER << 3 | WireCursor.I32;
  private static final int NAME = Span.NAME_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int KIND = Span.KIND_FIELD_NUMBER << 3 | WireCursor.VARINT;
  private static final int START_TIME_UNIX_NANO = Span.START_TIME_UNIX_NANO_FIELD_NUMBER << 3 | WireCursor.I64;
  private static final int END_TIME_UNIX_NANO = Span.END_TIME_UNIX_NANO_FIELD_NUMBER << 3 | WireCursor.I64;
  private static final int ATTRIBUTES = Span.ATTRIBUTES_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int DROPPED_ATTRIBUTES_COUNT = Span.DROPPED_ATTRIBUTES_COUNT_FIELD_NUMBER << 3 | WireCursor.VARINT;
  private static final int EVENTS = Span.EVENTS_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int DROPPED_EVENTS_COUNT = Span.DROPPED_EVENTS_COUNT_FIELD_NUMBER << 3 | WireCursor.VARINT;
  private static final int LINKS = Span.LINKS_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int DROPPED_LINKS_COUNT = Span.DROPPED_LINKS_COUNT_FIELD_NUMBER << 3 | WireCursor.VARINT;
  private static final int STATUS = Span.STATUS_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int STATUS_MESSAGE = Status.MESSAGE_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int STATUS_CODE = Status.CODE_FIELD_NUMBER << 3 | WireCursor.VARINT;

  public final Slice traceId = part(new Slice());
  public final Slice spanId = part(new Slice());
  public final Slice traceState = part(new Slice());
  public final Slice parentSpanId = part(new Slice()); // empty for a root span
  public final Slice name = part(new Slice());
  public final Slice statusMessage = part(new Slice()); // and statusCode: empty and 0 when the status is absent
  public final Scalar flags = part(new Scalar());
  /** The SpanKind number (an unknown one stays as it was sent, like protobuf's getKindValue()). */
  public final Scalar kind = part(new Scalar());
  public final Scalar startTimeUnixNano = part(new Scalar());
  public final Scalar endTimeUnixNano = part(new Scalar());
  public final Scalar droppedEventsCount = part(new Scalar());
  public final Scalar droppedLinksCount = part(new Scalar());
  public final Scalar statusCode = part(new Scalar()); // see statusMessage
  public final Attributes attributes = part(new Attributes());
  public final Slices events = part(new Slices());
  public final Slices links = part(new Slices());
  private final EventView eventCheck = new EventView();
  private final LinkView linkCheck = new LinkView();

  @Override
  boolean field(WireCursor c) throws InvalidProtocolBufferException {
    switch (c.tag()) {
      case TRACE_ID -> c.bytes(traceId);
      case SPAN_ID -> c.bytes(spanId);
      case TRACE_STATE -> c.string(traceState, "trace_state");
      case PARENT_SPAN_ID -> c.bytes(parentSpanId);
      case FLAGS -> flags.set(c.fixed32());
      case NAME -> c.string(name, "span name");
      case KIND -> kind.set(c.varint32());
      case START_TIME_UNIX_NANO -> startTimeUnixNano.set(c.fixed64());
      case END_TIME_UNIX_NANO -> endTimeUnixNano.set(c.fixed64());
      case ATTRIBUTES -> attributes.add(c);
      case DROPPED_ATTRIBUTES_COUNT -> attributes.readDroppedCount(c);
      case EVENTS -> c.message(events, eventCheck);
      case DROPPED_EVENTS_COUNT -> droppedEventsCount.set(c.varint32());
      case LINKS -> c.message(links, linkCheck);
      case DROPPED_LINKS_COUNT -> droppedLinksCount.set(c.varint32());
      case STATUS -> status(c);
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Status {message, code}, read in place: every span has one, usually empty. */
  private void status(WireCursor c) throws InvalidProtocolBufferException {
    int outer = c.enter();
    while (c.next()) {
      switch (c.tag()) {
        case STATUS_MESSAGE -> c.string(statusMessage, "status message");
        case STATUS_CODE -> statusCode.set(c.varint32());
        default -> c.skip();
      }
    }
    c.leave(outer);
  }
}
