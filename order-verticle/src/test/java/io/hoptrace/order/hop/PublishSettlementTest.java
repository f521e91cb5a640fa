package io.hoptrace.order.hop;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.order.orders.Order;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PublishSettlementTest {
  private static final TopicPartition P0 = new TopicPartition("stock-reductions", 0);
  private static final TopicPartition P1 = new TopicPartition("stock-reductions", 1);
  private final List<String> failed = new ArrayList<>();
  private final PublishSettlement settlement = new PublishSettlement(o -> failed.add(o.orderId()));

  private static Order order(String id) {
    return Order.pending(id, "p", 1, null, Instant.EPOCH);
  }

  @Test
  void aRecordTheReaderPassedWithoutSeeingItFailed() {
    settlement.expect(order("a"), P0, 5);
    settlement.expect(order("b"), P0, 6);
    settlement.expect(order("c"), P1, 2);

    settlement.check(Map.of(P0, 6L, P1, 2L)::get);
    assertThat(failed).containsExactly("a");
    assertThat(settlement.pending()).isEqualTo(2);

    settlement.seen("b");
    settlement.check(Map.of(P0, 9L, P1, 3L)::get);
    assertThat(failed).containsExactly("a", "c");
    assertThat(settlement.pending()).isZero();
  }

  @Test
  void aPartitionTheReaderDoesNotReadIsNotJudged() {
    settlement.expect(order("a"), P1, 0);
    settlement.check(Map.of(P0, 100L)::get);
    assertThat(failed).isEmpty();
    assertThat(settlement.pending()).isEqualTo(1);
  }

  @Test
  void anOrderPublishedTwiceFailsOnlyWhenNeitherRecordWasCommitted() {
    settlement.expect(order("a"), P0, 3);
    settlement.expect(order("a"), P0, 8);
    settlement.check(Map.of(P0, 4L)::get);
    assertThat(failed).as("the retry may still commit").isEmpty();

    settlement.check(Map.of(P0, 9L)::get);
    assertThat(failed).containsExactly("a");
  }

  @Test
  void oneCommittedRecordSettlesEveryAttempt() {
    settlement.expect(order("a"), P0, 3);
    settlement.expect(order("a"), P0, 8);
    settlement.seen("a");
    settlement.check(Map.of(P0, 9L)::get);
    assertThat(failed).isEmpty();
    assertThat(settlement.pending()).isZero();
  }
}
