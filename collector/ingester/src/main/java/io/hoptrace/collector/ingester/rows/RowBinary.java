package io.hoptrace.collector.ingester.rows;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A growable buffer of rows in ClickHouse's RowBinary format. Writes primitives little-endian and
 * strings as varint length + UTF-8 straight into the array: no per-value objects, so converting a
 * span allocates (almost) nothing. Not thread safe; one per (table, day) insert.
 */
public final class RowBinary {
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private byte[] buf;
  private int size;
  private int rows;
  private int rowStart;
  private RowFilter filter;
  private Table table;
  /** Where each row ends, only when asked for ({@link #trackRows}): isolating refused rows needs it. */
  private int[] rowEnds;

  public RowBinary(int initialCapacity) {
    buf = new byte[Math.max(64, initialCapacity)];
  }

  /** Rows already encoded: {@code bytes} holds exactly {@code rows} rows. */
  public static RowBinary of(byte[] bytes, int rows) {
    RowBinary rb = new RowBinary(0);
    rb.buf = bytes;
    rb.size = bytes.length;
    rb.rows = rows;
    return rb;
  }

  /** Remembers where each row written from now on ends ({@link #row}); off by default (costs an int per row). */
  public void trackRows() {
    if (size != 0) {
      throw new IllegalStateException("track rows from the start");
    }
    rowEnds = new int[16];
  }

  /** The bytes of row {@code i} (rows must be tracked). */
  public byte[] row(int i) {
    if (rowEnds == null || i < 0 || i >= rows) {
      throw new IllegalStateException("row " + i + " of " + rows + (rowEnds == null ? " (rows not tracked)" : ""));
    }
    int from = i == 0 ? 0 : rowEnds[i - 1];
    return Arrays.copyOfRange(buf, from, rowEnds[i]);
  }

  public int size() {
    return size;
  }

  public int rows() {
    return rows;
  }

  /** Rows ending from now on are offered to {@code filter} (as rows of {@code table}), which may drop them. */
  void filter(RowFilter filter, Table table) {
    this.filter = filter;
    this.table = table;
  }

  /** Marks the end of a row (RowBinary has no row separator); a filter may drop the row here. */
  public void endRow() {
    if (filter != null && !filter.keep(table, buf, rowStart, size - rowStart)) {
      size = rowStart;
      return;
    }
    if (rowEnds != null) {
      if (rows == rowEnds.length) {
        rowEnds = Arrays.copyOf(rowEnds, rows * 2);
      }
      rowEnds[rows] = size;
    }
    rows++;
    rowStart = size;
  }

  public InputStream stream() {
    return new ByteArrayInputStream(buf, 0, size);
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      int want = Math.max(buf.length * 2, size + extra);
      if (want < 0) {
        throw new IllegalStateException("row buffer over 2 GiB: lower COLLECTOR_BATCH_ROWS");
      }
      buf = Arrays.copyOf(buf, want);
    }
  }

  public void uint8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  public void bool(boolean v) {
    uint8(v ? 1 : 0);
  }

  public void uint32(long v) {
    int32((int) v);
  }

  public void int32(int v) {
    ensure(4);
    buf[size++] = (byte) v;
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 24);
  }

  public void int64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  public void float64(double v) {
    int64(Double.doubleToRawLongBits(v));
  }

  /** DateTime64(9): nanoseconds since the epoch as Int64. */
  public void dateTime64Nanos(long nanos) {
    int64(nanos);
  }

  /** DateTime: seconds since the epoch as UInt32 (clamped to its range). */
  public void dateTimeFromNanos(long nanos) {
    long s = Math.floorDiv(nanos, 1_000_000_000L);
    uint32(Math.max(0, Math.min(0xFFFF_FFFFL, s)));
  }

  public void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  /** String (and LowCardinality(String)): varint byte length, then UTF-8. */
  public void string(String s) {
    int n = s.length();
    // fast path: ASCII needs exactly n bytes
    ensure(n + 5);
    int lenPos = size;
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      varint(n);
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[size++] = (byte) s.charAt(i);
      }
      return;
    }
    size = lenPos;
    byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    bytes(utf8, 0, utf8.length);
  }

  public void bytes(byte[] b, int off, int len) {
    varint(len);
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /** A String column from protobuf bytes (already UTF-8): copied without decoding. */
  public void string(ByteString utf8) {
    int n = utf8.size();
    varint(n);
    ensure(n);
    utf8.copyTo(buf, size);
    size += n;
  }

  /** Raw bytes written as they are (pre-encoded columns, e.g. a resource's attribute map). */
  public void raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  /** A String column holding the lowercase hex of {@code id} (trace/span ids); empty when all zero or absent. */
  public void hexId(ByteString id) {
    int n = id.size();
    if (n == 0 || allZero(id)) {
      varint(0);
      return;
    }
    varint(2L * n);
    ensure(2 * n);
    for (int i = 0; i < n; i++) {
      int b = id.byteAt(i) & 0xFF;
      buf[size++] = HEX[b >>> 4];
      buf[size++] = HEX[b & 0xF];
    }
  }

  /** Like {@link #hexId(ByteString)} for id bytes inside a larger array. */
  public void hexId(byte[] b, int off, int n) {
    boolean zero = true;
    for (int i = 0; i < n && zero; i++) {
      zero = b[off + i] == 0;
    }
    if (zero) {
      varint(0);
      return;
    }
    varint(2L * n);
    ensure(2 * n);
    for (int i = 0; i < n; i++) {
      int v = b[off + i] & 0xFF;
      buf[size++] = HEX[v >>> 4];
      buf[size++] = HEX[v & 0xF];
    }
  }

  /** Drops everything written after {@code size} bytes and {@code rows} rows (undo of a failed conversion). */
  void truncate(int size, int rows) {
    this.size = size;
    this.rows = rows;
    this.rowStart = size;
  }

  private static boolean allZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Appends another buffer's rows. */
  public void append(RowBinary other) {
    if (rowEnds != null) {
      throw new IllegalStateException("append to a buffer that tracks rows");
    }
    ensure(other.size);
    System.arraycopy(other.buf, 0, buf, size, other.size);
    size += other.size;
    rows += other.rows;
    rowStart = size;
  }
}
