package io.hoptrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderClientsTest {
  private static OrderClients.Result result(double[] millis, String[] traceIds) {
    return new OrderClients.Result(2, millis.length, 0, 1.0, millis, traceIds, new long[] {millis.length}, Map.of(), 0);
  }

  @Test
  void theSlowestPercentAreTheOrdersWithTheLongestLatencySlowestFirst() {
    double[] millis = new double[200];
    String[] ids = new String[200];
    for (int i = 0; i < millis.length; i++) {
      millis[i] = 5 + (i * 37 % 200) * 0.1; // all different, not in order
      ids[i] = "t" + i;
    }
    millis[17] = 180;
    millis[150] = 120;
    millis[42] = 95;
    assertThat(result(millis, ids).slowest(1)).as("1 % of 200: two orders").containsExactly("t17", "t150");
    assertThat(result(millis, ids).slowest(1.5)).containsExactly("t17", "t150", "t42");
    assertThat(result(new double[] {3}, new String[] {"only"}).slowest(1)).as("at least one").containsExactly("only");
  }

  @Test
  void theSampleIsSpreadOverTheRunAndSkipsOrdersWithoutATraceId() {
    double[] millis = new double[1000];
    String[] ids = new String[1000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i == 500 ? null : "t" + i;
    }
    var sample = result(millis, ids).sample(10);
    assertThat(sample).hasSize(9).contains("t0", "t100", "t900").doesNotContain("t1", "t999");
    assertThat(result(millis, ids).latencyByTrace()).hasSize(999).containsEntry("t7", 0.0);
  }
}
