package io.hoptrace.collector.ingester.rows;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import org.junit.jupiter.api.Test;

/** Attribute values as pdata's Value.AsString() spells them (what the clickhouseexporter stores). */
class AttributeStringsTest {
  @Test
  void scalarsAndCompositesMatchPdata() {
    assertThat(AttributeStrings.asString(AnyValue.newBuilder().setIntValue(-42).build())).isEqualTo("-42");
    assertThat(AttributeStrings.asString(AnyValue.newBuilder().setBoolValue(true).build())).isEqualTo("true");
    assertThat(AttributeStrings.asString(AnyValue.newBuilder().setDoubleValue(3.0).build())).isEqualTo("3");
    assertThat(AttributeStrings.asString(AnyValue.newBuilder().setDoubleValue(0.1).build())).isEqualTo("0.1");
    assertThat(AttributeStrings.asString(AnyValue.newBuilder().setDoubleValue(1e-7).build())).isEqualTo("1e-7");
    assertThat(AttributeStrings.asString(AnyValue.newBuilder().setDoubleValue(1e21).build())).isEqualTo("1e+21");
    assertThat(AttributeStrings.asString(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build())).isEqualTo("aGk=");
    AnyValue arr = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(AnyValue.newBuilder().setStringValue("a\"b")).addValues(AnyValue.newBuilder().setIntValue(1))).build();
    assertThat(AttributeStrings.asString(arr)).isEqualTo("[\"a\\\"b\",1]");
    AnyValue map = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(KeyValue.newBuilder().setKey("k").setValue(AnyValue.newBuilder().setBoolValue(false)))).build();
    assertThat(AttributeStrings.asString(map)).isEqualTo("{\"k\":false}");
    assertThat(AttributeStrings.asString(AnyValue.getDefaultInstance())).isEmpty();
  }
}
