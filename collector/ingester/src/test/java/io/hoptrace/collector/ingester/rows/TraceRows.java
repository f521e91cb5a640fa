package io.hoptrace.collector.ingester.rows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads otel_traces rows back from RowBinary, one value per column of Table.TRACES (for comparing converters column by column). */
final class TraceRows {
  private enum Type { TIME, STRING, MAP, INT64, TIMES, STRINGS, MAPS }

  /** The types of Table.TRACES' columns, in its order. */
  private static final Type[] COLUMNS = {Type.TIME, Type.STRING, Type.STRING, Type.STRING, Type.STRING, Type.STRING, Type.STRING,
      Type.STRING, Type.MAP, Type.STRING, Type.STRING, Type.MAP, Type.INT64, Type.STRING, Type.STRING,
      Type.TIMES, Type.STRINGS, Type.MAPS, Type.STRINGS, Type.STRINGS, Type.STRINGS, Type.MAPS};

  private TraceRows() {}

  static List<List<Object>> read(byte[] rowBinary) {
    if (COLUMNS.length != Table.TRACES.columns().size()) {
      throw new IllegalStateException("Table.TRACES has " + Table.TRACES.columns().size() + " columns: update TraceRows");
    }
    ByteBuffer in = ByteBuffer.wrap(rowBinary).order(ByteOrder.LITTLE_ENDIAN);
    List<List<Object>> rows = new ArrayList<>();
    while (in.hasRemaining()) {
      List<Object> row = new ArrayList<>();
      for (Type t : COLUMNS) {
        row.add(value(in, t));
      }
      rows.add(row);
    }
    return rows;
  }

  private static Object value(ByteBuffer in, Type t) {
    switch (t) {
      case TIME:
      case INT64:
        return in.getLong();
      case STRING:
        return string(in);
      case MAP: {
        List<String> pairs = new ArrayList<>(); // key, value, key, value...: keys may repeat

        long n = varint(in);
        for (long i = 0; i < n; i++) {
          String k = string(in);
          String v = string(in);
          pairs.add(k);
          pairs.add(v);
        }
        return pairs;
      }
      default: {
        Type element = t == Type.TIMES ? Type.TIME : t == Type.STRINGS ? Type.STRING : Type.MAP;
        List<Object> list = new ArrayList<>();
        long n = varint(in);
        for (long i = 0; i < n; i++) {
          list.add(value(in, element));
        }
        return list;
      }
    }
  }

  private static String string(ByteBuffer in) {
    int n = (int) varint(in);
    byte[] b = new byte[n];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static long varint(ByteBuffer in) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = in.get();
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
  }
}
