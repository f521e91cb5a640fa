package io.hoptrace.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Free ports for tests and private stacks: never the same one twice in a process. */
class PortsTest {
  @Test
  void freePortNeverHandsOutAPortTwice() {
    // 2,000 probes of a ~28,000-port ephemeral range: dozens of repeats by chance, were they not excluded
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      int p = Ports.freePort();
      assertThat(seen.add(p)).as("port %d handed out twice", p).isTrue();
      assertThat(p).isBetween(1, 65_535);
    }
  }
}
