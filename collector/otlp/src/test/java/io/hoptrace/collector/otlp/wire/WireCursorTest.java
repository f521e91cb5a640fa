package io.hoptrace.collector.otlp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The cursor's own rules; that the views read what the generated classes read is proven on random requests (TraceWireValidatorTest, OtlpSplitterTest, WireSpanRowsTest). */
class WireCursorTest {
  private static String text(byte[] b, Slice s) {
    return new String(b, s.offset(), s.length(), StandardCharsets.UTF_8);
  }

  private static KeyValueView keyValue(byte[] b, boolean strict) throws InvalidProtocolBufferException {
    KeyValueView kv = new KeyValueView();
    kv.read(new WireCursor(b, strict));
    return kv;
  }

  @Test
  void aStringAttributeIsReadInPlace() throws Exception {
    byte[] b = KeyValue.newBuilder().setKey("messaging.system").setValue(AnyValue.newBuilder().setStringValue("kafka")).build().toByteArray();
    KeyValueView kv = keyValue(b, false);
    assertThat(text(b, kv.key)).isEqualTo("messaging.system");
    AnyValueView value = new AnyValueView();
    WireCursor c = new WireCursor(b, false);
    value.read(c, kv.value);
    assertThat(value.kind()).isEqualTo(AnyValue.ValueCase.STRING_VALUE);
    assertThat(text(b, value.bytes)).isEqualTo("kafka");
  }

  @Test
  void theLastValueOfAOneofWins() throws Exception {
    byte[] first = AnyValue.newBuilder().setStringValue("first").build().toByteArray();
    byte[] second = AnyValue.newBuilder().setIntValue(-7).build().toByteArray();
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    AnyValueView value = new AnyValueView();
    value.read(new WireCursor(both, false));
    assertThat(value.kind()).isEqualTo(AnyValue.ValueCase.INT_VALUE).isEqualTo(AnyValue.parseFrom(both).getValueCase());
    assertThat(value.intValue()).isEqualTo(-7);
  }

  @Test
  void aTruncatedValueALengthPastTheEndOrAnOverlongVarintIsMalformed() {
    byte[] s = KeyValue.newBuilder().setKey("k").setValue(AnyValue.newBuilder().setStringValue("value")).build().toByteArray();
    byte[] truncated = Arrays.copyOf(s, s.length - 1);
    assertThatThrownBy(() -> keyValue(truncated, false)).isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> keyValue(new byte[] {0x0A, 5, 1, 2}, false)).hasMessageContaining("truncated");
    byte[] overlong = {0x10, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0};
    assertThatThrownBy(() -> keyValue(overlong, false)).hasMessageContaining("longer than 10 bytes");
  }

  @Test
  void fieldNumberZeroStrayEndGroupsAndWireTypesSixAndSevenAreRefused() {
    assertThatThrownBy(() -> keyValue(new byte[] {0x00, 0x01}, false)).hasMessageContaining("number 0");
    assertThatThrownBy(() -> keyValue(new byte[] {0x0C}, false)).hasMessageContaining("end-group");
    assertThatThrownBy(() -> keyValue(new byte[] {0x0E}, false)).hasMessageContaining("wire type");
    assertThatThrownBy(() -> keyValue(new byte[] {0x0F}, false)).hasMessageContaining("wire type");
  }

  @Test
  void onlyAStrictCursorChecksUtf8() throws Exception {
    byte[] b = KeyValue.newBuilder().setKey("~~").build().toByteArray();
    b[2] = (byte) 0xC3; // a lead byte followed by '~': not UTF-8
    assertThat(keyValue(b, false).key.length()).isEqualTo(2);
    assertThatThrownBy(() -> keyValue(b, true)).hasMessageContaining("attribute key is not valid UTF-8");
  }

  @Test
  void utf8IsCheckedAsProtobufChecksIt() {
    String[] valid = {"", "abc", "é", "€", "𝄞", "\u0000", "\uFFFF"};
    for (String v : valid) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      assertThat(WireCursor.validUtf8(b, 0, b.length)).as(v).isTrue();
    }
    byte[][] invalid = {{(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}, {(byte) 0x80}};
    for (byte[] b : invalid) {
      assertThat(WireCursor.validUtf8(b, 0, b.length)).as(Arrays.toString(b)).isFalse();
      assertThat(com.google.protobuf.ByteString.copyFrom(b).isValidUtf8()).isFalse();
    }
  }
}
