package io.hoptrace.faults.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The accounting's arithmetic: exact when it is, and each way of not being exact is caught and counted. */
class SpanBalanceTest {
  private static final Set<Long> SENT = Set.of(1L, 2L, 3L, 4L, 5L, 6L);
  private static final Set<Long> ACKED = Set.of(1L, 2L, 3L, 4L);

  @Test
  void everyAcknowledgedSpanStoredOnceIsExactAlsoWithUnacknowledgedOnesStored() {
    SpanBalance b = SpanBalance.of(SENT, ACKED, Set.of(1L, 2L, 3L, 4L, 5L), 5, 5);
    assertThat(b.exact()).isTrue();
    assertThat(b.storedUnacknowledged()).isEqualTo(1);
    assertThat(b.lost()).isZero();
  }

  @Test
  void aMissingAcknowledgedSpanIsLost() {
    SpanBalance b = SpanBalance.of(SENT, ACKED, Set.of(1L, 2L, 3L, 5L), 4, 4);
    assertThat(b.exact()).isFalse();
    assertThat(b.nothingLost()).isFalse();
    assertThat(b.lost()).isEqualTo(1);
    assertThat(b.storedUnacknowledged()).as("5 still counted as such").isEqualTo(1);
  }

  @Test
  void aRowTwiceIsADuplicate() {
    SpanBalance b = SpanBalance.of(SENT, ACKED, ACKED, 5, 4);
    assertThat(b.nothingTwice()).isFalse();
    assertThat(b.duplicated()).isEqualTo(1);
    assertThat(b.exact()).isFalse();
  }

  @Test
  void theSameSpanIdUnderTwoTraceIdsIsADuplicateToo() {
    SpanBalance b = SpanBalance.of(SENT, ACKED, ACKED, 5, 5); // 5 rows, 5 distinct pairs, 4 span ids
    assertThat(b.duplicated()).isEqualTo(1);
    assertThat(b.exact()).isFalse();
  }

  @Test
  void aSpanNeverSentIsAPhantomAndNotAnUnacknowledgedOne() {
    SpanBalance b = SpanBalance.of(SENT, ACKED, Set.of(1L, 2L, 3L, 4L, 99L), 5, 5);
    assertThat(b.nothingInvented()).isFalse();
    assertThat(b.phantom()).isEqualTo(1);
    assertThat(b.storedUnacknowledged()).isZero();
    assertThat(b.exact()).isFalse();
  }

  @Test
  void nothingStoredOfAnAcknowledgedRunIsAllLost() {
    SpanBalance b = SpanBalance.of(SENT, ACKED, Set.of(), 0, 0);
    assertThat(b.lost()).isEqualTo(4);
    assertThat(b.exact()).isFalse();
  }

  @Test
  void aLedgerWithAcknowledgedSpansNeverSentIsRefused() {
    assertThatThrownBy(() -> SpanBalance.of(Set.of(1L), Set.of(1L, 2L), Set.of(1L), 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
