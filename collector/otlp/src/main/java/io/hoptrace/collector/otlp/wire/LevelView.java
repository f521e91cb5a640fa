package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * One level of the {@link Envelope}: a resource level (ResourceSpans, ResourceLogs, ResourceMetrics)
 * or a scope level (ScopeSpans, ...): its header (the resource or the scope), its children (scope
 * levels or items), its schema_url, and every field but the children as it is on the wire (tag and
 * value: what a part of a split request repeats).
 */
public final class LevelView extends MessageView {
  private final int headerTag;
  private final int childTag;
  private final int schemaUrlTag;
  private final MessageView headerCheck;
  /** The occurrences of the resource (or scope): usually one, none when absent. */
  public final Slices header = part(new Slices());
  public final Slices children = part(new Slices());
  public final Slice schemaUrl = part(new Slice());
  /** Each field but the children, from its tag to the end of its value, in wire order (unknown fields included). */
  public final Slices otherFields = part(new Slices());

  /** @param headerCheck reads the header completely on a strict cursor */
  LevelView(int headerField, int childField, int schemaUrlField, MessageView headerCheck) {
    headerTag = WireCursor.tag(headerField, WireCursor.LEN);
    childTag = WireCursor.tag(childField, WireCursor.LEN);
    schemaUrlTag = WireCursor.tag(schemaUrlField, WireCursor.LEN);
    this.headerCheck = headerCheck;
  }

  @Override
  boolean field(WireCursor c) throws InvalidProtocolBufferException {
    int start = c.fieldOffset();
    int tag = c.tag();
    if (tag == childTag) {
      c.lengthDelimited(); // children are read one by one (EnvelopeReader), never here
      children.add(c.offset(), c.length(), c.depth() + 1);
      return true;
    }
    if (tag == headerTag) {
      c.message(header, headerCheck);
    } else if (tag == schemaUrlTag) {
      c.string(schemaUrl, "schema_url");
    } else {
      c.skip(); // kept as it is, with the other fields
    }
    otherFields.add(start, c.position() - start, c.depth());
    return true;
  }
}
