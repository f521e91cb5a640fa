package io.hoptrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(3.0, Stats.of(List.of(5.0, 1.0, 3.0)).median());
    assertEquals(2.5, Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
  }

  @Test
  void spreadIsHalfTheRangeRelativeToTheMedian() {
    Stats s = Stats.of(List.of(90.0, 100.0, 110.0));
    assertEquals(90.0, s.min());
    assertEquals(110.0, s.max());
    assertEquals(10.0, s.spreadPercent(), 1e-9);
    assertEquals("100 (90–110, ±10.0 %, n=3)", s.format("%,.0f"));
    assertEquals("7 (n=1)", Stats.of(List.of(7.0)).format("%.0f"));
  }

  @Test
  void nearestRankPercentiles() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // 1..100, unsorted
    }
    assertEquals(50.0, Stats.percentile(v, 50));
    assertEquals(95.0, Stats.percentile(v, 95));
    assertEquals(100.0, Stats.percentile(v, 100));
    assertEquals(1.0, Stats.percentile(new double[] {1.0}, 99));
    assertTrue(Double.isNaN(Stats.percentile(new double[0], 50)));
  }
}
