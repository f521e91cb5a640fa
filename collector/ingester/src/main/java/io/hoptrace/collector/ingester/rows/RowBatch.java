package io.hoptrace.collector.ingester.rows;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows converted from one batch of Kafka records, split by table, day (the tables' partition)
 * and origin (live or replayed), so that each insert touches exactly one table partition.
 */
public final class RowBatch {
  /** One insert: a table, a day since the epoch (UTC), and whether the rows come from a replay. */
  public record Key(Table table, long day, boolean replay) {}

  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  private final Map<Key, RowBinary> parts = new LinkedHashMap<>();
  private final int initialCapacity;
  private boolean replay;
  private RowFilter filter;
  private boolean trackRows;
  private Table lastTable;
  private long lastDay = Long.MIN_VALUE;
  private RowBinary last;

  public RowBatch() {
    this(1 << 16);
  }

  /** @param expectedBytes about how many bytes the rows will take (the records' size is a good guess): fewer buffer copies */
  public RowBatch(int expectedBytes) {
    this.initialCapacity = Math.max(1 << 12, Math.min(expectedBytes, 64 << 20));
  }

  /** Every row converted from now on is offered to {@code filter}, which may drop it (set before the first row). */
  public void filter(RowFilter filter) {
    this.filter = filter;
  }

  /** Every buffer remembers where its rows end ({@link RowBinary#row}); set before converting. */
  public RowBatch trackRows() {
    trackRows = true;
    return this;
  }

  /** Rows converted from now on come from replayed records (or not). */
  public void replay(boolean replay) {
    if (this.replay != replay) {
      this.replay = replay;
      last = null;
    }
  }

  /** The buffer for a row of {@code table} whose partition time is {@code timeNanos}. */
  public RowBinary rows(Table table, long timeNanos) {
    long day = Math.floorDiv(timeNanos, NANOS_PER_DAY);
    if (last != null && table == lastTable && day == lastDay) {
      return last;
    }
    RowBinary rb = parts.computeIfAbsent(new Key(table, day, replay), k -> {
      RowBinary b = new RowBinary(parts.isEmpty() ? initialCapacity : initialCapacity / 4);
      if (filter != null && !replay) { // replayed rows go through the content check instead (docs/adr/009)
        b.filter(filter, table);
      }
      if (trackRows) {
        b.trackRows();
      }
      return b;
    });
    lastTable = table;
    lastDay = day;
    last = rb;
    return rb;
  }

  /** The state of every part, to undo a conversion that failed half-way. */
  public record Checkpoint(Map<Key, long[]> sizes) {}

  public Checkpoint checkpoint() {
    Map<Key, long[]> m = new LinkedHashMap<>();
    for (Map.Entry<Key, RowBinary> e : parts.entrySet()) {
      m.put(e.getKey(), new long[] {e.getValue().size(), e.getValue().rows()});
    }
    return new Checkpoint(m);
  }

  public void rollback(Checkpoint cp) {
    parts.entrySet().removeIf(e -> !cp.sizes().containsKey(e.getKey()));
    for (Map.Entry<Key, long[]> e : cp.sizes().entrySet()) {
      parts.get(e.getKey()).truncate((int) e.getValue()[0], (int) e.getValue()[1]);
    }
    last = null;
  }

  public Map<Key, RowBinary> parts() {
    return parts;
  }

  public int rowCount() {
    int n = 0;
    for (RowBinary rb : parts.values()) {
      n += rb.rows();
    }
    return n;
  }
}
