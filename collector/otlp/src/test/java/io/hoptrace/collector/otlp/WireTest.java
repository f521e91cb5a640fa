package io.hoptrace.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WireTest {
  private static String at(byte[] b, long packed) {
    return new String(b, (int) (packed >>> 32), (int) packed, StandardCharsets.UTF_8);
  }

  @Test
  void aStringKeyValueIsReadInPlace() {
    byte[] b = KeyValue.newBuilder().setKey("messaging.system").setValue(AnyValue.newBuilder().setStringValue("kafka")).build().toByteArray();
    long value = Wire.stringKeyValue(b, 0, b.length);
    assertThat(at(b, value)).isEqualTo("kafka");
    assertThat(at(b, Wire.lengthAt(b, 1, b.length))).isEqualTo("messaging.system");
  }

  @Test
  void anyOtherShapeIsNotAStringKeyValue() {
    byte[] number = KeyValue.newBuilder().setKey("n").setValue(AnyValue.newBuilder().setIntValue(7)).build().toByteArray();
    assertThat(Wire.stringKeyValue(number, 0, number.length)).isEqualTo(-1);
    byte[] s = KeyValue.newBuilder().setKey("k").setValue(AnyValue.newBuilder().setStringValue("value")).build().toByteArray();
    byte[] truncated = Arrays.copyOf(s, s.length - 1);
    assertThat(Wire.stringKeyValue(truncated, 0, truncated.length)).isEqualTo(-1);
    assertThat(Wire.stringKeyValue(s, 0, 0)).isEqualTo(-1);
  }

  @Test
  void aLengthPastTheEndOrAnOverlongVarintIsMalformed() {
    assertThat(Wire.lengthAt(new byte[] {5, 1, 2}, 0, 3)).isEqualTo(-1);
    assertThat(Wire.lengthAt(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0}, 0, 6)).isEqualTo(-1);
    assertThat(Wire.lengthAt(new byte[] {2, 1, 2}, 0, 3)).isEqualTo((1L << 32) | 2);
  }
}
