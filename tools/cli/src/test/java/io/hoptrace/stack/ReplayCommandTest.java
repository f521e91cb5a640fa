package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.config.Env;
import io.hoptrace.process.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad replay arguments are refused before anything is sent, with a message naming the problem. */
class ReplayCommandTest {
  final ReplayCommand command = new ReplayCommand(
      StackConfig.fromEnv(Env.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + Ports.freePort()))),
      new Console(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false));

  @Test
  void refusesTopicsThatAreNotReplayable() {
    assertThatThrownBy(() -> command.run(List.of("otlp_spans.dlq", "--from", "earliest")))
        .hasMessageContaining("'otlp_spans.dlq' is not a replayable topic");
  }

  @Test
  void needsFrom() {
    assertThatThrownBy(() -> command.run(List.of("otlp_spans"))).hasMessageContaining("--from is required");
  }

  @Test
  void refusesABackwardRangeAndBadTimes() {
    assertThatThrownBy(() -> command.run(List.of("otlp_spans", "--from", "1h", "--to", "2h")))
        .hasMessageContaining("must be before --to");
    assertThatThrownBy(() -> command.run(List.of("otlp_spans", "--from", "last tuesday")))
        .hasMessageContaining("'last tuesday' is not a time");
    assertThatThrownBy(() -> command.run(List.of("otlp_spans", "--from", "earliest", "--wait", "forever")))
        .hasMessageContaining("--wait forever");
  }

  @Test
  void saysWhenKafkaIsNotThere() {
    assertThatThrownBy(() -> command.run(List.of("stock-reductions", "--from", "earliest")))
        .hasMessageContaining("is not reachable; is the stack running?");
  }
}
