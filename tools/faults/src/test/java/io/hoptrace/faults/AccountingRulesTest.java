package io.hoptrace.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.faults.fuzz.Verdicts;
import org.junit.jupiter.api.Test;

/** The rules the suite judges by, without a stack: what counts as exact and acceptable, how hard each form pushes. */
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
  void badInputMayGet2xx3xx4xxOrTheRetryable503ButNoOther5xx() {
    for (int ok : new int[] {200, 201, 302, 400, 404, 413, 415, 429, 503}) {
      assertThat(Verdicts.acceptableHttp(ok)).as("%d", ok).isTrue();
    }
    for (int bad : new int[] {500, 501, 502, 504, 101}) {
      assertThat(Verdicts.acceptableHttp(bad)).as("%d", bad).isFalse();
    }
    assertThat(Verdicts.acceptableOtlpHttp(503)).as("the receiver's 503 means Kafka, which is up while fuzzing").isFalse();
    assertThat(Verdicts.acceptableServiceHttp(503, "kafka_unavailable")).isTrue();
    assertThat(Verdicts.acceptableServiceHttp(503, "not_ready")).isTrue();
    assertThat(Verdicts.acceptableServiceHttp(503, "")).as("a 503 without the ApiError body").isFalse();
    assertThat(Verdicts.acceptableServiceHttp(503, "internal_error")).as("an undocumented 503").isFalse();
    assertThat(Verdicts.acceptableServiceHttp(400, "")).isTrue();
    assertThat(Verdicts.errorCode("{\"error\":\"kafka_unavailable\",\"message\":\"x\"}".getBytes())).isEqualTo("kafka_unavailable");
    assertThat(Verdicts.errorCode("<html>".getBytes())).isEmpty();
    assertThat(Verdicts.acceptableOtlpHttp(413)).isTrue();
    assertThat(Verdicts.acceptableGrpc("3")).isTrue();
    assertThat(Verdicts.acceptableGrpc("14")).as("UNAVAILABLE: retry bad input forever").isFalse();
    assertThat(Verdicts.acceptableGrpc("13")).as("INTERNAL").isFalse();
    assertThat(Verdicts.acceptableGrpc("2")).as("UNKNOWN").isFalse();
    assertThat(Verdicts.acceptableGrpc(null)).as("no status").isFalse();
  }

  @Test
  void theShortFormIsShorterAndTheKafkaOutageOutlastsTheDeliveryTimeout() {
    SuiteOptions full = new SuiteOptions(true, 7, java.util.Set.of(), false);
    SuiteOptions quick = new SuiteOptions(false, 7, java.util.Set.of("kafka", "fuzz"), false);
    assertThat(full.clickHouseDown().toSeconds()).as("the issue's 60 s").isEqualTo(60);
    assertThat(quick.kafkaDown().toSeconds()).as("longer than the receiver's 10 s delivery timeout").isGreaterThan(10);
    assertThat(quick.selected("kafka")).isTrue();
    assertThat(quick.selected("clickhouse")).isFalse();
    assertThat(FaultSuite.names()).containsExactly("clickhouse", "kafka", "ingester", "inventory", "poison", "fuzz",
        "ingester-instances", "inventory-instances", "broker");
  }

  @Test
  void theShortFormRunsTheInventoryInstancesScenarioButNotTheOtherScaleOutOnes() {
    SuiteOptions quick = new SuiteOptions(false, 7, java.util.Set.of(), false);
    SuiteOptions full = new SuiteOptions(true, 7, java.util.Set.of(), false);
    java.util.Map<String, Boolean> shortForm = new java.util.LinkedHashMap<>();
    FaultSuite.all().forEach(s -> shortForm.put(s.name(), quick.selected(s.name(), s.inShortForm())));
    assertThat(shortForm).as("the scale-out issue: the inventory one in ./stack test").containsEntry("inventory-instances", true).containsEntry("inventory", true)
        .containsEntry("broker", false).containsEntry("ingester-instances", false);
    assertThat(FaultSuite.all()).allMatch(s -> full.selected(s.name(), s.inShortForm()));
    // named, a scenario of the full form runs in the short form too (its shorter durations)
    assertThat(new SuiteOptions(false, 7, java.util.Set.of("broker"), false).selected("broker", false)).isTrue();
    assertThat(new SuiteOptions(true, 7, java.util.Set.of("broker"), false).selected("kafka", true)).isFalse();
    assertThat(FaultSuite.all().stream().filter(s -> s.kafkaBrokers() != 1).map(io.hoptrace.faults.scenario.Scenario::name))
        .as("only the broker scenario needs a Kafka of its own").containsExactly("broker");
  }
}
