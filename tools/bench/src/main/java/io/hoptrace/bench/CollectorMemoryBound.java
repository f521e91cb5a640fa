package io.hoptrace.bench;

import java.util.Locale;

/**
 * The collector's memory bound as {@code ./stack} configures it: the heap ({@code -Xmx} from
 * {@code HOPTRACE_COLLECTOR_HEAP}, 768m) plus what a JVM of this size needs off the heap.
 */
final class CollectorMemoryBound {
  /**
   * Off-heap allowance. Native memory tracking of the collector at its peak RSS (1,011 MB, during a
   * burst, heap 768 MB) showed 227 MB committed outside the heap: GC structures 68 MB (about 9 % of
   * the heap: G1's remembered sets and card table), metaspace 37, compiler arenas 24, direct buffers
   * and other 21, code cache 20, class space 12, symbols 8, thread stacks 6, NMT itself 4. The
   * allowance keeps headroom for JIT arenas and Netty buffers under more connections.
   */
  static final long OFF_HEAP = 320L << 20;

  private CollectorMemoryBound() {}

  static long heap() {
    return parseSize(System.getenv().getOrDefault("HOPTRACE_COLLECTOR_HEAP", "768m"));
  }

  static long bytes() {
    return heap() + OFF_HEAP;
  }

  static String explain() {
    return String.format(Locale.ROOT, "Bound: heap %,d MB (`-Xmx` from `HOPTRACE_COLLECTOR_HEAP`) + %,d MB off the heap "
        + "(expected, from native memory tracking at the peak of a burst: GC structures 68 MB, metaspace 37, compiler arenas 24, "
        + "direct buffers and other 21, code cache 20, class space 12, symbols 8, thread stacks 6; 227 MB in all, plus headroom) = %,d MB.",
        heap() >> 20, OFF_HEAP >> 20, bytes() >> 20);
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
