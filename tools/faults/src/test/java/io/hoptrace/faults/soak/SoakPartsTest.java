package io.hoptrace.faults.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's judgement without a stack: GC log reading, percentiles, the flatness rule, the picture. */
class SoakPartsTest {

  @Test
  void readsTheHeapAfterEveryPauseAndTellsFullOnesApart() {
    List<GcLog.Pause> pauses = GcLog.parse(List.of(
        "[0.004s][info][gc] Using G1",
        "[12.345s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 150M->40M(256M) 3.456ms",
        "[60.100s][info][gc] GC(8) Pause Full (System.gc()) 180M->35M(384M) 61.2ms",
        "[61.000s][info][gc] GC(9) Pause Young (Concurrent Start) (G1 Humongous Allocation) 2G->1G(3G) 9.1ms",
        "[62.000s][info][gc] GC(10) Pause Remark 50M->48M(384M) 1.0ms",
        "[63.000s][info][gc] GC(11) Pause Young (Mixed) (G1 Evacuation Pause) 90000K->20480K(393216K) 2.0ms",
        "[64.000s][info][gc] GC(11) Concurrent Mark Cycle 12.3ms"));
    assertThat(pauses).containsExactly(new GcLog.Pause(12.345, false, 40), new GcLog.Pause(60.1, true, 35),
        new GcLog.Pause(61.0, false, 1024), new GcLog.Pause(62.0, false, 48), new GcLog.Pause(63.0, false, 20));
  }

  @Test
  void percentilesAreNearestRankAndAnEmptyWindowIsZero() {
    LatencyWindow w = new LatencyWindow();
    for (int ms = 1; ms <= 100; ms++) {
      w.record(ms * 1_000_000L);
    }
    LatencyWindow.Stats s = w.drain();
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.p50Millis()).isEqualTo(50.0);
    assertThat(s.p99Millis()).isEqualTo(99.0);
    assertThat(w.drain()).as("drained: the next interval starts empty").isEqualTo(new LatencyWindow.Stats(0, 0, 0));
    assertThat(LatencyWindow.percentile(new long[] {7}, 0.99)).isEqualTo(7);
  }

  @Test
  void aSawtoothIsFlatAndALeakIsNot() {
    Trend trend = new Trend(0.10, 16);
    List<Trend.Point> sawtooth = new ArrayList<>();
    List<Trend.Point> leak = new ArrayList<>();
    for (int t = 0; t < 1800; t += 60) {
      sawtooth.add(new Trend.Point(t, 100 + (t / 60 % 3) * 30));
      leak.add(new Trend.Point(t, 100 + t / 10.0)); // 6 MiB a minute: 180 MiB over the run
    }
    assertThat(trend.byFloor(sawtooth, 1800).flat()).isTrue();
    Trend.Verdict v = trend.byFloor(leak, 1800);
    assertThat(v.flat()).isFalse();
    assertThat(v.detail()).contains("lowest of the last third 220 MiB, of the middle third 160 MiB, allowed 192 MiB");
    assertThat(trend.byMean(leak, 1800).flat()).isFalse();
    assertThat(trend.byMean(List.of(new Trend.Point(1700, 1)), 1800).flat()).as("no point in the middle third: no claim").isFalse();
  }

  @Test
  void growthWithinTheToleranceIsFlat() {
    Trend trend = new Trend(0.10, 16);
    List<Trend.Point> slight = List.of(new Trend.Point(700, 200), new Trend.Point(1300, 235));
    assertThat(trend.byFloor(slight, 1800).flat()).as("235 <= 200 * 1.1 + 16").isTrue();
    List<Trend.Point> over = List.of(new Trend.Point(700, 200), new Trend.Point(1300, 237));
    assertThat(trend.byFloor(over, 1800).flat()).isFalse();
  }

  @Test
  void thePictureHasAPanelPerCurveAndALinePerSeries() {
    String svg = new SvgChart()
        .panel("Heap after full GC", "MiB", Map.of("order", List.of(new double[] {0, 50}, new double[] {600, 52})))
        .panel("Lag", "rec", Map.of("lag", List.of(new double[] {0, 0}, new double[] {600, 1200}), "other", List.of(new double[] {0, 1})))
        .render(600);
    assertThat(svg).startsWith("<svg").endsWith("</svg>\n").contains("Heap after full GC", "Lag", ">order<", ">lag<", "2,000 rec");
    assertThat(svg.split("<polyline", -1)).hasSize(4);
    assertThat(new SvgChart().panel("p", "u", Map.of("s", List.of(new double[] {0, 1}))).render(600, 300)).contains("load stops", "x1=\"407.5\"");
    assertThat(SvgChart.niceCeiling(1200)).isEqualTo(2000);
    assertThat(SvgChart.niceCeiling(52)).isEqualTo(100);
    assertThat(SvgChart.niceCeiling(5)).isEqualTo(5);
  }

  @Test
  void aSoakIsAtLeastThreeMinutesAndSendsWholeRequests() {
    assertThatThrownBy(() -> SoakPlan.of(Duration.ofMinutes(2))).hasMessageContaining("at least 3 minutes");
    SoakPlan plan = SoakPlan.of(Duration.ofMinutes(30));
    assertThat(plan.requestsPerSecond(30_000)).as("half of 30,000 spans/s in requests of 500").isEqualTo(30.0);
    assertThat(plan.orderShare()).isEqualTo(0.5);
  }
}
