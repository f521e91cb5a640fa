package io.hoptrace.collector.ingester.rows;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;

/**
 * OTLP attribute values as the strings the OpenTelemetry Collector's clickhouseexporter stores in its
 * {@code Map(LowCardinality(String), String)} columns (pdata {@code Value.AsString()}): strings as they
 * are, ints in decimal, doubles like ECMAScript numbers, booleans {@code true}/{@code false}, bytes in
 * base64, arrays and maps as compact JSON.
 */
public final class AttributeStrings {
  private AttributeStrings() {}

  /** Writes a Map(String, String) column: varint count, then key/value pairs. */
  public static void writeMap(RowBinary rb, List<KeyValue> attributes) {
    int n = attributes.size();
    rb.varint(n);
    for (int i = 0; i < n; i++) {
      KeyValue kv = attributes.get(i);
      rb.string(kv.getKeyBytes());
      writeValue(rb, kv.getValue());
    }
  }

  /** The map column pre-encoded once (a resource's attributes repeat on every one of its spans). */
  public static byte[] encodeMap(List<KeyValue> attributes) {
    RowBinary rb = new RowBinary(64 + attributes.size() * 48);
    writeMap(rb, attributes);
    return rb.toByteArray();
  }

  public static void writeValue(RowBinary rb, AnyValue v) {
    if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
      rb.string(v.getStringValueBytes()); // no UTF-8 decode/encode round trip
    } else {
      rb.string(asString(v));
    }
  }

  /** The service.name resource attribute, or "" (like the exporter). */
  public static String serviceName(List<KeyValue> resourceAttributes) {
    for (KeyValue kv : resourceAttributes) {
      if ("service.name".equals(kv.getKey()) && kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
        return kv.getValue().getStringValue();
      }
    }
    return "";
  }

  public static String asString(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return v.getBoolValue() ? "true" : "false";
      case INT_VALUE:
        return Long.toString(v.getIntValue());
      case DOUBLE_VALUE:
        return number(v.getDoubleValue());
      case BYTES_VALUE:
        return Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE:
      case KVLIST_VALUE: {
        StringBuilder sb = new StringBuilder();
        json(sb, v);
        return sb.toString();
      }
      default:
        return "";
    }
  }

  /** ECMAScript number formatting, as Go's encoding/json (and so pdata) does it. */
  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "json: unsupported value: " + (Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf");
    }
    if (d == 0) {
      return "0";
    }
    double abs = Math.abs(d);
    if (abs < 1e-6 || abs >= 1e21) {
      String s = Double.toString(d).replace("E", "e"); // 1.0e-7 -> 1e-07 in Go, simplified below
      int e = s.indexOf('e');
      String mantissa = new BigDecimal(s.substring(0, e)).stripTrailingZeros().toPlainString();
      String exp = s.substring(e + 1);
      return mantissa + "e" + (exp.startsWith("-") ? exp : "+" + exp);
    }
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }

  private static void json(StringBuilder sb, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> quote(sb, v.getStringValue());
      case BOOL_VALUE -> sb.append(v.getBoolValue());
      case INT_VALUE -> sb.append(v.getIntValue());
      case DOUBLE_VALUE -> {
        double d = v.getDoubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          quote(sb, Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        } else {
          sb.append(number(d));
        }
      }
      case BYTES_VALUE -> quote(sb, Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        sb.append('[');
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          json(sb, values.get(i));
        }
        sb.append(']');
      }
      case KVLIST_VALUE -> {
        sb.append('{');
        List<KeyValue> kvs = v.getKvlistValue().getValuesList();
        for (int i = 0; i < kvs.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          quote(sb, kvs.get(i).getKey());
          sb.append(':');
          json(sb, kvs.get(i).getValue());
        }
        sb.append('}');
      }
      default -> sb.append("null");
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
