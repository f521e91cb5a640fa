package io.hoptrace.load.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the load counts as sent and acknowledged, span by span. */
class SpanLedgerTest {
  @Test
  void onlyA200AcknowledgesSpans() {
    SpanLedger ledger = new SpanLedger();
    ledger.record(new long[] {1, 2}, "200");
    ledger.record(new long[] {3}, "503");
    ledger.record(new long[] {4}, "no answer");
    assertThat(ledger.sent()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    assertThat(ledger.acknowledged()).containsExactlyInAnyOrder(1L, 2L);
    assertThat(ledger.requests()).isEqualTo(3);
    assertThat(ledger.answered("503")).isEqualTo(1);
  }

  @Test
  void aRetriedRequestCountsOnceByItsLastAnswerAndEveryAttemptByItsOwn() {
    SpanLedger ledger = new SpanLedger();
    ledger.record(new long[] {1, 2}, java.util.List.of("503", "no answer", "200"));
    ledger.record(new long[] {3}, java.util.List.of("503", "503", "503", "503", "503"));
    ledger.record(new long[] {4}, "200");
    assertThat(ledger.requests()).isEqualTo(3);
    assertThat(ledger.attempts()).isEqualTo(9);
    assertThat(ledger.acknowledged()).containsExactlyInAnyOrder(1L, 2L, 4L);
    assertThat(ledger.acknowledgedAfterRetry()).isEqualTo(1);
    assertThat(ledger.requestsByAnswer()).containsExactly(java.util.Map.entry("200", 2L), java.util.Map.entry("503", 1L));
    assertThat(ledger.attemptsByAnswer()).containsExactly(java.util.Map.entry("200", 2L), java.util.Map.entry("503", 6L),
        java.util.Map.entry("no answer", 1L));
  }

  @Test
  void theLoadsSpanIdsAreThoseOfTheRequestAndUniqueAcrossSeeds() {
    SpanFactory f = new SpanFactory("t");
    Set<Long> all = new HashSet<>();
    for (long seed = 1; seed <= 20; seed++) {
      long[] ids = TelemetryLoad.spanIds(f.request(seed, 50, 0));
      assertThat(ids).hasSize(50 * SpanFactory.SPANS_PER_TRACE);
      Arrays.stream(ids).forEach(all::add);
    }
    assertThat(all).hasSize(20 * 50 * SpanFactory.SPANS_PER_TRACE);
  }
}
