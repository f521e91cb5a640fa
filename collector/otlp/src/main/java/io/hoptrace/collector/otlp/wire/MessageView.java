package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;

/**
 * The fields of one kind of message, read at a {@link WireCursor} into a view that is reused message
 * after message (a flyweight: its slices are refilled by each read): the one place that knows that
 * message's field numbers.
 */
public abstract class MessageView {
  // what the view read, emptied before each read (one array per kind: clearing is a plain loop)
  private Slice[] slices = new Slice[0];
  private Slices[] lists = new Slices[0];
  private Scalar[] scalars = new Scalar[0];
  private Attributes[] attributes = new Attributes[0];

  MessageView() {}

  /** Reads the message whose fields are at the cursor, until its end. */
  public final void read(WireCursor c) throws InvalidProtocolBufferException {
    clear();
    readFields(c);
  }

  /** Reads a message field that occurs several times (usually once; none: the empty message) as protobuf merges them. */
  public final void read(WireCursor c, Slices occurrences) throws InvalidProtocolBufferException {
    clear();
    for (int i = 0; i < occurrences.size(); i++) {
      c.seek(occurrences, i);
      readFields(c);
    }
  }

  private void clear() {
    for (Slice s : slices) {
      s.clear();
    }
    for (Slices s : lists) {
      s.clear();
    }
    for (Scalar s : scalars) {
      s.clear();
    }
    for (Attributes a : attributes) {
      a.clear();
    }
    clearOthers();
  }

  /** Registers one of the view's parts (a Slice, Slices, Scalar or Attributes), to be emptied before each read. */
  final <T> T part(T part) {
    if (part instanceof Slice slice) {
      slices = append(slices, slice);
    } else if (part instanceof Slices list) {
      lists = append(lists, list);
    } else if (part instanceof Scalar scalar) {
      scalars = append(scalars, scalar);
    } else if (part instanceof Attributes attrs) {
      attributes = append(attributes, attrs);
    } else {
      throw new IllegalArgumentException("not a part of a view: " + part);
    }
    return part;
  }

  private static <T> T[] append(T[] parts, T part) {
    T[] more = Arrays.copyOf(parts, parts.length + 1);
    more[parts.length] = part;
    return more;
  }

  /** Resets what the view keeps outside its parts. */
  void clearOthers() {}

  private void readFields(WireCursor c) throws InvalidProtocolBufferException {
    while (c.next()) {
      if (!field(c)) {
        c.skip(); // a field this message does not have (a newer protocol's, or sent with another wire type)
      }
    }
  }

  /** Reads the field at the cursor ({@link WireCursor#tag()}) if it is one of this message's; false if not. */
  abstract boolean field(WireCursor c) throws InvalidProtocolBufferException;
}
