package io.hoptrace.load.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of ./stack load: option values, pacing, the mix, percentiles, the words. */
class TrafficPartsTest {
  @Test
  void ratesParseWithTheirUnits() {
    assertThat(Rate.parse("50/s").perSecond()).isEqualTo(50);
    assertThat(Rate.parse("50").perSecond()).isEqualTo(50);
    assertThat(Rate.parse("600/m").perSecond()).isEqualTo(10);
    assertThat(Rate.parse("3600/h").perSecond()).isEqualTo(1);
    assertThat(Rate.parse("0.5/s").toString()).isEqualTo("0.50/s");
    assertThatThrownBy(() -> Rate.parse("0/s")).hasMessageContaining("above 0");
    assertThatThrownBy(() -> Rate.parse("fast")).hasMessageContaining("e.g. 50/s");
    assertThatThrownBy(() -> Rate.parse("5/d")).hasMessageContaining("s, m or h");
    assertThatThrownBy(() -> Rate.parse("99999/s")).hasMessageContaining("at most 5000/s");
  }

  @Test
  void requestNIsDueAtNOverTheRate() {
    Rate r = Rate.parse("50/s");
    assertThat(r.dueNanos(0)).isZero();
    assertThat(r.dueNanos(1)).isEqualTo(20_000_000);
    assertThat(r.dueNanos(50)).isEqualTo(1_000_000_000);
    // no drift over hours: due times are computed from the start, never summed
    assertThat(Rate.parse("3/s").dueNanos(3 * 3600)).isEqualTo(3600L * 1_000_000_000);
  }

  @Test
  void sharesAndDurationsParse() {
    assertThat(Shares.percent("5%")).isEqualTo(0.05);
    assertThat(Shares.percent("0")).isZero();
    assertThat(Shares.percent("100%")).isEqualTo(1.0);
    assertThatThrownBy(() -> Shares.percent("101%")).hasMessageContaining("between 0% and 100%");
    assertThatThrownBy(() -> Shares.percent("some")).hasMessageContaining("e.g. 5%");
    assertThat(Shares.duration("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Shares.duration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Shares.duration("2h")).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> Shares.duration("500ms")).hasMessageContaining("at least 1s");
    assertThatThrownBy(() -> Shares.duration("5 minutes")).hasMessageContaining("e.g. 10s or 5m");
  }

  @Test
  void theMixHoldsItsSharesAndRestocksWhatIsSoldOut() {
    Mix mix = new Mix(List.of("a", "b", "c", "d"), "a", 0.05, 0.03);
    Random random = new Random(42);
    Map<Mix.Kind, Integer> kinds = new EnumMap<>(Mix.Kind.class);
    int hot = 0;
    int orders = 0;
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      Mix.Action a = mix.next(random, Set.of("c"));
      kinds.merge(a.kind(), 1, Integer::sum);
      if (a.kind() == Mix.Kind.ORDER) {
        orders++;
        hot += a.productId().equals("a") ? 1 : 0;
        assertThat(a.quantity()).isBetween(1, 3);
      }
      if (a.kind() == Mix.Kind.RESTOCK) {
        assertThat(a.productId()).isEqualTo("c");
        assertThat(a.quantity()).isBetween(50, 100);
      }
      if (a.kind() == Mix.Kind.INVALID) {
        assertThat(a.invalid()).isNotNull();
      }
    }
    assertThat(kinds.get(Mix.Kind.INVALID) / (double) n).isBetween(0.045, 0.055);
    assertThat(kinds.get(Mix.Kind.RESTOCK) / (double) n).isBetween(0.025, 0.035);
    // 80 % to the hot product, the rest spread over all four (a among them)
    assertThat(hot / (double) orders).isBetween(0.83, 0.87);
  }

  @Test
  void withoutASoldOutProductARestockPicksAnyAndABadMixIsRefused() {
    Mix mix = new Mix(List.of("a", "b"), null, 0, 1);
    assertThat(mix.next(new Random(1), Set.of()).productId()).isIn("a", "b");
    assertThatThrownBy(() -> new Mix(List.of("a"), "z", 0, 0)).hasMessageContaining("hot product 'z'");
    assertThatThrownBy(() -> new Mix(List.of(), null, 0, 0)).hasMessageContaining("empty");
    assertThatThrownBy(() -> new Mix(List.of("a"), null, 0.6, 0.6)).hasMessageContaining("exceed 100%");
    assertThat(Mix.Invalid.ZERO_QUANTITY.body("a")).isEqualTo("{\"productId\":\"a\",\"quantity\":0}");
    assertThat(Mix.Invalid.UNKNOWN_PRODUCT.body("a")).contains("no-such-product");
  }

  @Test
  void percentilesAreNearestRank() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[i] = i + 1;
    }
    assertThat(Latencies.percentile(v, 50)).isEqualTo(50);
    assertThat(Latencies.percentile(v, 99)).isEqualTo(99);
    assertThat(Latencies.percentile(v, 100)).isEqualTo(100);
    assertThat(Latencies.percentile(new long[] {7}, 99)).isEqualTo(7);
    assertThat(Latencies.percentile(new long[0], 50)).isEqualTo(-1);
    Latencies l = new Latencies();
    for (int i = 2000; i > 0; i--) {
      l.record(i);
    }
    assertThat(l.count()).isEqualTo(2000);
    assertThat(l.sortedSince(1990)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
  }

  @Test
  void theLineAndTheSummaryAddUp() {
    Tally t = new Tally();
    for (int i = 0; i < 10; i++) {
      t.sent();
    }
    for (int i = 0; i < 6; i++) {
      t.ended(Tally.Outcome.CONFIRMED, 20_000 + i, null);
    }
    t.ended(Tally.Outcome.REJECTED, 15_000, null);
    t.ended(Tally.Outcome.INVALID, 1_000, null);
    t.ended(Tally.Outcome.ERROR, 1_000, "503 kafka_unavailable");
    t.ended(Tally.Outcome.PENDING, 900_000, null);
    t.restockSent();
    t.restockEnded(null);
    assertThat(t.ended()).isEqualTo(t.sentCount());

    Report r = new Report(t);
    String line = r.line(Duration.ofSeconds(2));
    assertThat(line).isEqualTo("    2s     5.0 orders/s  CONFIRMED 6  REJECTED 1  PENDING 1  invalid 1  errors 1  p50 20ms p99 900ms  restocks 1");
    // the next line covers only what came after
    assertThat(r.line(Duration.ofSeconds(3))).contains("0.0 orders/s").contains("p50 - p99 -");
    String summary = r.summary(Duration.ofSeconds(75), 0);
    assertThat(summary).startsWith("load: 1m15s, 10 order requests sent (0.1/s)")
        .contains("CONFIRMED 6, REJECTED 1 (out of stock), PENDING 1, invalid 1 (refused as they must be), errors 1 (503 kafka_unavailable: 1)")
        .contains("p50 20ms, p90 900ms, p99 900ms, max 900ms (8 answers)")
        .contains("restocks: 1 sent, 1 applied; ticks skipped at the in-flight limit: 0");
  }
}
