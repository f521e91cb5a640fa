package io.hoptrace.collector.ingester.rows;

/** Decides, when a row is complete, whether it stays in its insert (e.g. de-duplication, docs/adr/009). */
public interface RowFilter {
  /** @return false to drop the row whose RowBinary bytes are {@code row[off, off + len)} */
  boolean keep(Table table, byte[] row, int off, int len);
}
