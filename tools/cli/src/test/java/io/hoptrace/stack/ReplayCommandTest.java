package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.process.Ports;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad replay arguments are refused (exit code 2) before anything is sent, with a message naming the problem. */
class ReplayCommandTest {
  final Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + Ports.freePort());

  Cli.Result replay(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "replay";
    System.arraycopy(args, 0, all, 1, args.length);
    return Cli.run(env, all);
  }

  @Test
  void refusesTopicsThatAreNotReplayable() {
    Cli.Result r = replay("inventory-decisions", "--from", "earliest");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("'inventory-decisions' is not a replayable topic");
  }

  @Test
  void needsFrom() {
    Cli.Result r = replay("otlp_spans");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--from is required");
  }

  @Test
  void refusesABackwardRangeAndBadTimes() {
    assertThat(replay("otlp_spans", "--from", "1h", "--to", "2h").err()).contains("must be before --to");
    assertThat(replay("otlp_spans", "--from", "last tuesday").err()).contains("'last tuesday' is not a time");
    Cli.Result r = replay("otlp_spans", "--from", "earliest", "--wait", "forever");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--wait forever");
  }

  @Test
  void saysWhenKafkaIsNotThere() {
    Cli.Result r = replay("stock-reductions", "--from", "earliest");
    assertThat(r.exit()).as("a runtime failure, not a usage error").isEqualTo(1);
    assertThat(r.err()).contains("is not reachable; is the stack running?");
    assertThat(r.out()).doesNotContain("error");
  }
}
