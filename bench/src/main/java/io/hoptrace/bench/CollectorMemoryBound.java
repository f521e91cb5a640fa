package io.hoptrace.bench;

import java.util.Locale;

/**
 * The collector's memory bound as {@code ./stack} configures it: the heap ({@code -Xmx} from
 * {@code HOPTRACE_COLLECTOR_HEAP}, 768m) plus what a JVM of this size needs off the heap.
 */
final class CollectorMemoryBound {
  /** Off-heap allowance: metaspace, code cache, GC structures, thread stacks, Netty's direct buffers, the JDK's own. */
  static final long OFF_HEAP = 256L << 20;

  private CollectorMemoryBound() {}

  static long heap() {
    return parseSize(System.getenv().getOrDefault("HOPTRACE_COLLECTOR_HEAP", "768m"));
  }

  static long bytes() {
    return heap() + OFF_HEAP;
  }

  static String explain() {
    return String.format(Locale.ROOT, "Bound: heap %,d MB (`-Xmx` from `HOPTRACE_COLLECTOR_HEAP`) + %,d MB off the heap "
        + "(metaspace, code cache, GC structures, thread stacks, Netty's direct buffers) = %,d MB.", heap() >> 20, OFF_HEAP >> 20, bytes() >> 20);
  }

  static long parseSize(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long mul = 1;
    char last = t.charAt(t.length() - 1);
    if (last == 'k' || last == 'm' || last == 'g') {
      mul = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
      t = t.substring(0, t.length() - 1);
    }
    return Long.parseLong(t) * mul;
  }
}
