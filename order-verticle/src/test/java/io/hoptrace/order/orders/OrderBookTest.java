package io.hoptrace.order.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OrderBookTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static StockResult confirmed(String id) {
    return new StockResult(id, "CONFIRMED", null, null, T.plusSeconds(1));
  }

  @Test
  void aResultCompletesThePlacedOrderAndWakesItsWaiter() {
    OrderBook book = new OrderBook();
    CompletableFuture<Order> waiter = book.expect("o1");
    book.place(Order.pending("o1", "p", 1, "t", T));

    assertThat(book.complete(confirmed("o1"))).isEqualTo(OrderBook.Completion.COMPLETED);
    assertThat(waiter).isCompletedWithValueMatching(o -> o.status() == Order.Status.CONFIRMED);
    assertThat(book.get("o1").orElseThrow().completedAt()).isEqualTo(T.plusSeconds(1));
  }

  @Test
  void aSecondResultForACompletedOrderChangesNothing() {
    OrderBook book = new OrderBook();
    book.place(Order.pending("o1", "p", 1, "t", T));
    book.complete(confirmed("o1"));

    assertThat(book.complete(new StockResult("o1", "REJECTED", "insufficient_stock", "none left", T.plusSeconds(9))))
        .isEqualTo(OrderBook.Completion.ALREADY_COMPLETED);
    assertThat(book.get("o1").orElseThrow().status()).isEqualTo(Order.Status.CONFIRMED);
  }

  @Test
  void aResultBeforeItsRequestWaitsForIt() {
    OrderBook book = new OrderBook();
    assertThat(book.complete(confirmed("o1"))).isEqualTo(OrderBook.Completion.ORDER_NOT_YET_KNOWN);
    assertThat(book.get("o1")).isEmpty();

    assertThat(book.place(Order.pending("o1", "p", 1, "t", T)).status()).isEqualTo(Order.Status.CONFIRMED);
  }

  @Test
  void anOrderThatWasNeverPublishedLeavesNoTrace() {
    OrderBook book = new OrderBook();
    CompletableFuture<Order> waiter = book.expect("o1");
    book.forget("o1");

    assertThat(waiter).isCancelled();
    assertThat(book.all()).isEmpty();
  }

  @Test
  void placingTwiceKeepsTheFirst() {
    OrderBook book = new OrderBook();
    book.place(Order.pending("o1", "p", 1, "t", T));
    book.complete(confirmed("o1"));
    assertThat(book.place(Order.pending("o1", "p", 1, "t", T)).status()).isEqualTo(Order.Status.CONFIRMED);
    assertThat(book.all()).hasSize(1);
  }

  @Test
  void anOrderNeverCommittedFailsAndWakesItsWaiter() {
    OrderBook book = new OrderBook();
    CompletableFuture<Order> waiter = book.expect("o1");
    Order pending = Order.pending("o1", "p", 1, "t", T);
    book.place(pending);

    assertThat(book.failUnpublished(pending, "aborted", T.plusSeconds(2))).isTrue();
    Order failed = book.get("o1").orElseThrow();
    assertThat(failed.status()).isEqualTo(Order.Status.FAILED);
    assertThat(failed.reason()).isEqualTo(Order.NOT_PUBLISHED);
    assertThat(failed.completedAt()).isEqualTo(T.plusSeconds(2));
    assertThat(waiter).isCompletedWithValueMatching(o -> o.status() == Order.Status.FAILED);
  }

  @Test
  void aCompletedOrderCannotFail() {
    OrderBook book = new OrderBook();
    Order pending = Order.pending("o1", "p", 1, "t", T);
    book.place(pending);
    book.complete(confirmed("o1"));

    assertThat(book.failUnpublished(pending, "aborted", T)).isFalse();
    assertThat(book.get("o1").orElseThrow().status()).isEqualTo(Order.Status.CONFIRMED);
  }

  @Test
  void aCommittedRequestOrAResultRevivesAFailedOrder() {
    OrderBook book = new OrderBook();
    Order pending = Order.pending("o1", "p", 1, "t", T);
    book.failUnpublished(pending, "aborted", T);
    assertThat(book.place(pending).status()).as("place keeps what is known").isEqualTo(Order.Status.FAILED);

    assertThat(book.placeReplacingFailed(pending).status()).isEqualTo(Order.Status.PENDING);
    book.failUnpublished(pending, "aborted", T);
    assertThat(book.complete(confirmed("o1"))).isEqualTo(OrderBook.Completion.COMPLETED);
    assertThat(book.get("o1").orElseThrow().status()).isEqualTo(Order.Status.CONFIRMED);
  }
}
