package io.hoptrace.collector.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.KeyValue;

/** An attribute, {@code KeyValue {key, value}}: the key, and where its value (an AnyValue) is. */
public final class KeyValueView extends MessageView {
  private static final int KEY = KeyValue.KEY_FIELD_NUMBER << 3 | WireCursor.LEN;
  private static final int VALUE = KeyValue.VALUE_FIELD_NUMBER << 3 | WireCursor.LEN;

  public final Slice key = part(new Slice());
  /** The occurrences of the value: none when it is absent (an empty value). */
  public final Slices value = part(new Slices());
  private AnyValueView valueCheck; // created when first needed: values nest

  @Override
  boolean field(WireCursor c) throws InvalidProtocolBufferException {
    switch (c.tag()) {
      case KEY -> c.string(key, "attribute key");
      case VALUE -> c.message(value, c.strict() ? valueCheck() : null);
      default -> {
        return false;
      }
    }
    return true;
  }

  private AnyValueView valueCheck() {
    if (valueCheck == null) {
      valueCheck = new AnyValueView();
    }
    return valueCheck;
  }
}
