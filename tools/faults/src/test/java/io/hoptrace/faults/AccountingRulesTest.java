package io.hoptrace.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.bench.SpanFactory;
import io.hoptrace.faults.fuzz.Verdicts;
import io.hoptrace.faults.load.SpanLedger;
import io.hoptrace.faults.load.TelemetryLoad;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules the suite judges by, without a stack: what counts as exact, acknowledged, acceptable. */
class AccountingRulesTest {

  @Test
  void aScenarioIsExactOnlyWhenItCheckedSomethingAndEverythingHeld() {
    ScenarioResult r = new ScenarioResult("x");
    assertThat(r.exact()).as("no check, no claim").isFalse();
    r.check("a", true, "");
    assertThat(r.exact()).isTrue();
    r.check("b", false, "1 missing");
    assertThat(r.exact()).isFalse();
    assertThat(new ScenarioResult("y").aborted(new IllegalStateException("deadline")).exact()).isFalse();
  }

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

  @Test
  void badInputMayGet2xx3xx4xxOrTheRetryable503ButNoOther5xx() {
    for (int ok : new int[] {200, 201, 302, 400, 404, 413, 415, 429, 503}) {
      assertThat(Verdicts.acceptableHttp(ok)).as("%d", ok).isTrue();
    }
    for (int bad : new int[] {500, 501, 502, 504, 101}) {
      assertThat(Verdicts.acceptableHttp(bad)).as("%d", bad).isFalse();
    }
    assertThat(Verdicts.acceptableOtlpHttp(503)).as("the receiver's 503 means Kafka, which is up while fuzzing").isFalse();
    assertThat(Verdicts.acceptableOtlpHttp(413)).isTrue();
    assertThat(Verdicts.acceptableGrpc("3")).isTrue();
    assertThat(Verdicts.acceptableGrpc("14")).as("UNAVAILABLE: retry bad input forever").isFalse();
    assertThat(Verdicts.acceptableGrpc("13")).as("INTERNAL").isFalse();
    assertThat(Verdicts.acceptableGrpc("2")).as("UNKNOWN").isFalse();
    assertThat(Verdicts.acceptableGrpc(null)).as("no status").isFalse();
  }

  @Test
  void optionsAndTheirForms() {
    SuiteOptions o = SuiteOptions.parse(List.of("--short", "--seed", "7", "--only", "kafka,fuzz"));
    assertThat(o.full()).isFalse();
    assertThat(o.seed()).isEqualTo(7);
    assertThat(o.selected("kafka")).isTrue();
    assertThat(o.selected("clickhouse")).isFalse();
    assertThat(SuiteOptions.parse(List.of()).clickHouseDown().toSeconds()).as("the issue's 60 s").isEqualTo(60);
    assertThat(o.kafkaDown().toSeconds()).as("longer than the receiver's 10 s delivery timeout").isGreaterThan(10);
    assertThatThrownBy(() -> SuiteOptions.parse(List.of("--fast"))).hasMessageContaining("unknown option");
  }
}
