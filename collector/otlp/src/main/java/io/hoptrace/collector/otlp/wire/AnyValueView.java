package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.AnyValue.ValueCase;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;

/**
 * An attribute value, {@code AnyValue} (a oneof: the last value on the wire wins, as in protobuf):
 * which kind it is and the value. Arrays and key-value lists are left where they are (their
 * occurrences; consecutive ones merge); a strict cursor reads them to the bottom, each level one
 * deeper, so a value nested past protobuf's recursion limit is refused as the parser refuses it.
 */
public final class AnyValueView extends MessageView {
  private static final int STRING = AnyValue.STRING_VALUE_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int BOOL = AnyValue.BOOL_VALUE_FIELD_NUMBER << 3 | WireCursor.VARINT;
  private static final int INT = AnyValue.INT_VALUE_FIELD_NUMBER << 3 | WireCursor.VARINT;
  private static final int DOUBLE = AnyValue.DOUBLE_VALUE_FIELD_NUMBER << 3 | WireCursor.I64;
  private static final int ARRAY = AnyValue.ARRAY_VALUE_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int KVLIST = AnyValue.KVLIST_VALUE_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int BYTES = AnyValue.BYTES_VALUE_FIELD_NUMBER << 3 | WireCursor.LEN;

  private ValueCase kind = ValueCase.VALUE_NOT_SET;
  /** The string_value or bytes_value. */
  public final Slice bytes = part(new Slice());
  private long bits;
  /** The occurrences of the array_value or kvlist_value (one, unless the sender split it). */
  public final Slices composite = part(new Slices());
  private ValueListView arrayCheck; // created when first needed: values nest
  private ValueListView kvlistCheck;

  /** STRING_VALUE, BOOL_VALUE, ..., or VALUE_NOT_SET for an empty value. */
  public ValueCase kind() {
    return kind;
  }

  public boolean boolValue() {
    return bits != 0;
  }

  public long intValue() {
    return bits;
  }

  public double doubleValue() {
    return Double.longBitsToDouble(bits);
  }

  @Override
  void clearOthers() {
    kind = ValueCase.VALUE_NOT_SET;
  }

  @Override
  boolean field(WireCursor c) throws InvalidProtocolBufferException {
    switch (c.tag()) {
      case STRING -> set(ValueCase.STRING_VALUE, c).string(bytes, "attribute value");
      case BOOL -> bits = set(ValueCase.BOOL_VALUE, c).varint();
      case INT -> bits = set(ValueCase.INT_VALUE, c).varint();
      case DOUBLE -> bits = set(ValueCase.DOUBLE_VALUE, c).fixed64();
      case BYTES -> set(ValueCase.BYTES_VALUE, c).bytes(bytes);
      case ARRAY -> set(ValueCase.ARRAY_VALUE, c).message(composite, c.strict() ? arrayCheck() : null);
      case KVLIST -> set(ValueCase.KVLIST_VALUE, c).message(composite, c.strict() ? kvlistCheck() : null);
      default -> {
        return false;
      }
    }
    return true;
  }

  /** A new kind replaces the value; the same composite kind again merges with it. */
  private WireCursor set(ValueCase next, WireCursor c) {
    if (kind != next) {
      composite.clear();
      kind = next;
    }
    return c;
  }

  private ValueListView arrayCheck() {
    if (arrayCheck == null) {
      arrayCheck = new ValueListView(ArrayValue.VALUES_FIELD_NUMBER, new AnyValueView());
    }
    return arrayCheck;
  }

  private ValueListView kvlistCheck() {
    if (kvlistCheck == null) {
      kvlistCheck = new ValueListView(KeyValueList.VALUES_FIELD_NUMBER, new KeyValueView());
    }
    return kvlistCheck;
  }
}
