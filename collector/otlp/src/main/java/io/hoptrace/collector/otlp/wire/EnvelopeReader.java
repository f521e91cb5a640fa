package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Walks an export request's {@link Envelope} level by level, in wire order:
 * <pre>
 * while (r.nextResource()) { r.resourceLevel() ...
 *   while (r.nextScope()) { r.scopeLevel() ...
 *     while (r.nextItem()) { span.read(r.cursor()) ... } } }
 * </pre>
 * After {@code nextItem()} the cursor is on the item's fields. On a strict cursor the levels are read
 * completely (headers included); the items are the caller's to read, with strict views, every one.
 * Reusable: {@link #read} starts over on another request.
 */
public final class EnvelopeReader {
  private final Envelope envelope;
  private final WireCursor c;
  private final Slices resourceLevels = new Slices();
  private final LevelView resourceLevel;
  private final LevelView scopeLevel;
  private int r;
  private int s;
  private int i;

  public EnvelopeReader(Envelope envelope, boolean strict) {
    this.envelope = envelope;
    this.c = new WireCursor(new byte[0], strict);
    resourceLevel = new LevelView(envelope.resource(), envelope.scopeLevels(), envelope.resourceSchemaUrl(), strict ? new ResourceView() : null);
    scopeLevel = new LevelView(envelope.scope(), envelope.items(), envelope.scopeSchemaUrl(), strict ? new ScopeView() : null);
  }

  /** Starts on a request: reads its top-level fields (where the resource levels are). */
  public void read(byte[] request) throws InvalidProtocolBufferException {
    read(request, 0, request.length);
  }

  /** Starts on a request that is {@code length} bytes of {@code buf} from {@code offset}, read in place. */
  public void read(byte[] buf, int offset, int length) throws InvalidProtocolBufferException {
    c.reset(buf, offset, length);
    resourceLevels.clear();
    r = -1;
    int tag = WireCursor.tag(envelope.resourceLevels(), WireCursor.LEN);
    while (c.next()) {
      if (c.tag() == tag) {
        c.lengthDelimited();
        resourceLevels.add(c.offset(), c.length(), 1);
      } else {
        c.skip(); // unknown request-level field
      }
    }
  }

  public WireCursor cursor() {
    return c;
  }

  public boolean nextResource() throws InvalidProtocolBufferException {
    boolean more = advance(resourceLevels, r, resourceLevel);
    r += more ? 1 : 0;
    s = -1;
    return more;
  }

  public boolean nextScope() throws InvalidProtocolBufferException {
    boolean more = advance(resourceLevel.children, s, scopeLevel);
    s += more ? 1 : 0;
    i = -1;
    return more;
  }

  /** After it, the cursor is on the item's fields. */
  public boolean nextItem() throws InvalidProtocolBufferException {
    boolean more = advance(scopeLevel.children, i, null);
    i += more ? 1 : 0;
    return more;
  }

  /** Seeks to the message after {@code current} and reads it with {@code level} (unless null); false when there is none. */
  private boolean advance(Slices messages, int current, LevelView level) throws InvalidProtocolBufferException {
    if (current + 1 >= messages.size()) {
      return false;
    }
    c.seek(messages, current + 1);
    if (level != null) {
      level.read(c);
    }
    return true;
  }

  public LevelView resourceLevel() {
    return resourceLevel;
  }

  public LevelView scopeLevel() {
    return scopeLevel;
  }

  /** Indexes of the current resource level, scope level and item (for messages that name a place). */
  public int resourceIndex() {
    return r;
  }

  public int scopeIndex() {
    return s;
  }

  public int itemIndex() {
    return i;
  }

  /** Where the current item is in the request. */
  public int itemOffset() {
    return scopeLevel.children.offset(i);
  }

  public int itemLength() {
    return scopeLevel.children.length(i);
  }
}
