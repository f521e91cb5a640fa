package io.hoptrace.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 5: the collector's resident memory (VmRSS, sampled every 250 ms) during the throughput
 * and burst benchmarks, against its configured bound.
 */
final class Memory {
  private final List<String> phases = new ArrayList<>();
  private final List<Long> peaks = new ArrayList<>();

  void add(String phase, long peakBytes) {
    phases.add(phase);
    peaks.add(peakBytes);
  }

  boolean isEmpty() {
    return phases.isEmpty();
  }

  Report.Section section() {
    long bound = CollectorMemoryBound.bytes();
    List<Report.Row> rows = new ArrayList<>();
    for (int i = 0; i < phases.size(); i++) {
      long p = peaks.get(i);
      rows.add(new Report.Row("collector peak RSS during " + phases.get(i), String.format(Locale.ROOT, "%,d MB", p >> 20), "", 
          String.format(Locale.ROOT, "%.2f of the bound", (double) p / bound), String.format(Locale.ROOT, "< %,d MB", bound >> 20), p < bound));
    }
    return new Report.Section("5. Memory", List.of(
        "VmRSS of the collector process (/proc/<pid>/status), sampled every 250 ms for the whole benchmark (warm-up included).",
        "",
        CollectorMemoryBound.explain()), rows, List.of());
  }
}
