package io.hoptrace.collector.ingester.dedup;

import java.util.Arrays;

/**
 * The de-duplication window of one partition, defined by offsets only: when the record at offset
 * {@code o} is read, the window holds the content hashes of the rows of the records at offsets
 * {@code [o - records, o - 1]}, at most the newest {@code maxRows} of them, plus the rows of record
 * {@code o} read so far. Whoever reads the same records in the same order from {@code o - records}
 * on (this process, or another one rebuilding the window after a crash or rebalance) holds exactly
 * the same set, so a re-formed batch drops exactly the same rows (docs/adr/009).
 *
 * <p>Memory: a FIFO of (hash, offset) per row (16 bytes) and a {@link LongLongMap} from hash to the
 * newest offset that holds it (16 bytes a slot, at most 3/4 full): 37 to 59 bytes per row held.
 * Not thread safe.
 */
public final class OffsetWindow {
  private final long records;
  private final int maxRows;
  private final LongLongMap newest;
  private long[] ringHash;
  private long[] ringOffset;
  private int head;
  private int size;

  private long current = -1;
  private int sizeAtBegin;
  private long[] undo = new long[32]; // pairs: hash, previous newest offset (MISSING if new)
  private int undoLength;
  private long nextOffset = -1;

  /**
   * @param records how many offsets before a record the window reaches back
   * @param maxRows the most rows it holds (the newest)
   */
  public OffsetWindow(long records, int maxRows) {
    if (records < 1 || maxRows < 1) {
      throw new IllegalArgumentException("a window needs at least one record and one row");
    }
    this.records = records;
    this.maxRows = maxRows;
    int initial = Math.min(maxRows, 1 << 12);
    this.newest = new LongLongMap(initial);
    this.ringHash = new long[initial];
    this.ringOffset = new long[initial];
  }

  /** The offset after the last record read (committed or rolled back), -1 before the first. */
  public long nextOffset() {
    return nextOffset;
  }

  /** Rows held. */
  public int rows() {
    return size;
  }

  /** Starts the record at {@code offset}: forgets rows of records that are now more than {@code records} offsets back. */
  public void begin(long offset) {
    if (current >= 0) {
      throw new IllegalStateException("record " + current + " neither committed nor rolled back");
    }
    long oldest = offset - records;
    while (size > 0 && ringOffset[head] < oldest) {
      evictOldest();
    }
    current = offset;
    sizeAtBegin = size;
    undoLength = 0;
  }

  /**
   * A row of the current record, by its content hash: adds it to the window.
   *
   * @return whether the window already held it (the row is a duplicate)
   */
  public boolean seen(long hash) {
    if (current < 0) {
      throw new IllegalStateException("no record begun");
    }
    long key = hash == 0 ? 1 : hash;
    long previous = newest.get(key);
    if (previous == current) {
      return true; // twice in this record: held once
    }
    if (undoLength + 2 > undo.length) {
      undo = Arrays.copyOf(undo, undo.length * 2);
    }
    undo[undoLength++] = key;
    undo[undoLength++] = previous;
    newest.put(key, current);
    push(key, current);
    return previous != LongLongMap.MISSING;
  }

  /** The current record was read to its end: its rows stay; the oldest rows beyond {@code maxRows} go. */
  public void commit() {
    long offset = current;
    current = -1;
    while (size > maxRows) {
      evictOldest();
    }
    nextOffset = offset + 1;
  }

  /** The current record could not be read to its end (it is dead-lettered): the window is as before it. */
  public void rollback() {
    long offset = current;
    for (int i = undoLength - 2; i >= 0; i -= 2) {
      if (undo[i + 1] == LongLongMap.MISSING) {
        newest.remove(undo[i]);
      } else {
        newest.put(undo[i], undo[i + 1]);
      }
    }
    size = sizeAtBegin;
    current = -1;
    nextOffset = offset + 1;
  }

  /** Marks everything up to {@code offset - 1} as read (records without rows, such as dead letters, need no begin). */
  public void readUpTo(long offset) {
    nextOffset = offset;
  }

  private void push(long hash, long offset) {
    if (size == ringHash.length) {
      grow();
    }
    int i = (head + size) % ringHash.length;
    ringHash[i] = hash;
    ringOffset[i] = offset;
    size++;
  }

  private void evictOldest() {
    long h = ringHash[head];
    if (newest.get(h) == ringOffset[head]) {
      newest.remove(h);
    }
    head = (head + 1) % ringHash.length;
    size--;
  }

  private void grow() {
    int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(size + 1L, Math.min(2L * ringHash.length, maxRows + 1L)));
    if (cap <= ringHash.length) {
      cap = ringHash.length * 2; // one record above maxRows rows: held until its commit
    }
    long[] h = new long[cap];
    long[] o = new long[cap];
    for (int i = 0; i < size; i++) {
      int from = (head + i) % ringHash.length;
      h[i] = ringHash[from];
      o[i] = ringOffset[from];
    }
    ringHash = h;
    ringOffset = o;
    head = 0;
  }
}
