package io.hoptrace.collector.ingester.dedup;

/**
 * An open-addressing hash map from non-zero long keys to long values (linear probing, backward-shift
 * deletion, load at most 3/4): 16 bytes per slot, no object per entry. Not thread safe.
 */
final class LongLongMap {
  static final long MISSING = Long.MIN_VALUE;

  private long[] keys;
  private long[] values;
  private int mask;
  private int size;

  LongLongMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected * 4L / 3 + 1)) - 1) << 1;
    keys = new long[cap];
    values = new long[cap];
    mask = cap - 1;
  }

  int size() {
    return size;
  }

  int capacity() {
    return keys.length;
  }

  long get(long key) {
    for (int i = slot(key); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == 0) {
        return MISSING;
      }
    }
  }

  void put(long key, long value) {
    check(key);
    for (int i = slot(key); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == 0) {
        keys[i] = key;
        values[i] = value;
        if (++size > keys.length / 4 * 3) {
          resize(keys.length << 1);
        }
        return;
      }
    }
  }

  void remove(long key) {
    int i = slot(key);
    while (keys[i] != key) {
      if (keys[i] == 0) {
        return;
      }
      i = (i + 1) & mask;
    }
    // backward-shift: move later entries of the probe run into the hole so lookups never stop early
    int hole = i;
    for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      int home = slot(keys[j]);
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = 0;
    values[hole] = 0;
    size--;
  }

  private void resize(int cap) {
    long[] k = keys;
    long[] v = values;
    keys = new long[cap];
    values = new long[cap];
    mask = cap - 1;
    size = 0;
    for (int i = 0; i < k.length; i++) {
      if (k[i] != 0) {
        put(k[i], v[i]);
      }
    }
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private static void check(long key) {
    if (key == 0) {
      throw new IllegalArgumentException("key 0 is reserved for empty slots");
    }
  }
}
