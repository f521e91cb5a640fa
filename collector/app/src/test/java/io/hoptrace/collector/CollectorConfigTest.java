package io.hoptrace.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.config.Env;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --signals} / {@code COLLECTOR_SIGNALS}: any subset, the option over the variable, bad input named. */
class CollectorConfigTest {
  @Test
  void allSignalsByDefault() {
    CollectorConfig c = CollectorConfig.fromEnv(Env.of(Map.of()), List.of());
    assertThat(c.signals()).isEqualTo(EnumSet.allOf(Signal.class));
    assertThat(c.receiver().signals()).isEqualTo(EnumSet.allOf(Signal.class));
    assertThat(c.ingester().signals()).isEqualTo(EnumSet.allOf(Signal.class));
  }

  @Test
  void optionAndVariableChooseASubsetForReceiverAndIngester() {
    CollectorConfig env = CollectorConfig.fromEnv(Env.of(Map.of("COLLECTOR_SIGNALS", "logs, metrics")), List.of());
    assertThat(env.receiver().signals()).containsExactlyInAnyOrder(Signal.LOGS, Signal.METRICS);
    assertThat(env.ingester().signals()).containsExactlyInAnyOrder(Signal.LOGS, Signal.METRICS);
    CollectorConfig opt = CollectorConfig.fromEnv(Env.of(Map.of("COLLECTOR_SIGNALS", "logs")), List.of("--signals=traces", "--roles", "receiver"));
    assertThat(opt.signals()).containsExactly(Signal.TRACES);
    assertThat(opt.receiver().serves(Signal.LOGS)).isFalse();
    assertThat(opt.receiver().notServed(Signal.LOGS)).isEqualTo(
        "this collector serves traces only (--signals / COLLECTOR_SIGNALS); send logs to a collector that serves them");
  }

  @Test
  void badSignalsAreNamed() {
    assertThatThrownBy(() -> CollectorConfig.fromEnv(Env.of(Map.of()), List.of("--signals", "traces,spans")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("--signals=traces,spans is invalid: unknown signal 'spans' (signals: traces, metrics, logs)");
    assertThatThrownBy(() -> CollectorConfig.fromEnv(Env.of(Map.of("COLLECTOR_SIGNALS", " , ")), List.of()))
        .hasMessage("COLLECTOR_SIGNALS is empty: name at least one signal (traces, metrics, logs)");
  }
}
