package io.hoptrace.order.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The book keeps the newest orders within its bound and drops the oldest completed ones. */
class OrderBookBoundTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(T);

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private static Order order(int i, Instant at) {
    return Order.pending("o" + i, "p", 1, "t", at);
  }

  private static StockResult confirmed(int i, Instant at) {
    return new StockResult("o" + i, "CONFIRMED", null, null, at);
  }

  @Test
  void keepsTheNewestCompletedOrdersUpToTheCount() {
    TestClock clock = new TestClock();
    OrderBook book = new OrderBook(new OrderBook.Bound(3, Duration.ofDays(7)), clock);
    for (int i = 1; i <= 5; i++) {
      book.place(order(i, T.plusSeconds(i)));
      book.complete(confirmed(i, T.plusSeconds(i)));
    }

    assertThat(book.all()).extracting(Order::orderId).containsExactly("o3", "o4", "o5");
    assertThat(book.get("o1")).isEmpty();
    assertThat(book.kept().dropped()).isEqualTo(2);
    assertThat(book.kept().oldest()).isEqualTo(T.plusSeconds(3));
  }

  @Test
  void anOrderARequestWaitsForStaysBeyondTheCountUntilItCompletes() {
    TestClock clock = new TestClock();
    OrderBook book = new OrderBook(new OrderBook.Bound(2, Duration.ofDays(7)), clock);
    java.util.concurrent.CompletableFuture<Order> waiter = book.expect("o1");
    book.place(order(1, T));
    book.place(order(2, T.plusSeconds(2))); // pending, nobody waits here (placed on another instance)
    for (int i = 3; i <= 4; i++) {
      book.place(order(i, T.plusSeconds(i)));
      book.complete(confirmed(i, T.plusSeconds(i)));
    }

    assertThat(book.all()).extracting(Order::orderId).containsExactly("o1", "o3", "o4");

    book.complete(confirmed(1, T.plusSeconds(9)));

    assertThat(waiter).isCompletedWithValueMatching(o -> o.status() == Order.Status.CONFIRMED);
    book.place(order(5, T.plusSeconds(5)));
    assertThat(book.all()).extracting(Order::orderId).containsExactly("o4", "o5");
  }

  @Test
  void dropsCompletedOrdersOlderThanTheWindow() {
    TestClock clock = new TestClock();
    OrderBook book = new OrderBook(new OrderBook.Bound(100, Duration.ofHours(1)), clock);
    book.place(order(1, T));
    book.complete(confirmed(1, T));
    book.place(order(2, T.plusSeconds(1800)));
    book.complete(confirmed(2, T.plusSeconds(1800)));
    clock.now.set(T.plusSeconds(3700));

    book.dropExpired();

    assertThat(book.all()).extracting(Order::orderId).containsExactly("o2");
    assertThat(book.get("o1")).isEmpty();
  }

  @Test
  void aRebuildOlderThanTheWindowKeepsNothingCompleted() {
    TestClock clock = new TestClock();
    clock.now.set(T.plus(Duration.ofDays(30)));
    OrderBook book = new OrderBook(new OrderBook.Bound(100, Duration.ofDays(7)), clock);
    for (int i = 1; i <= 10; i++) {
      book.complete(confirmed(i, T)); // results first, as a rebuild may read them
      book.placeReplacingFailed(order(i, T.plusSeconds(i)));
    }

    assertThat(book.all()).isEmpty();
    assertThat(book.kept().dropped()).isEqualTo(10);
  }

  @Test
  void resultsWhoseOrderNeverComesAreKeptUpToTheCount() {
    OrderBook book = new OrderBook(new OrderBook.Bound(2, Duration.ofDays(7)), new TestClock());
    for (int i = 1; i <= 5; i++) {
      assertThat(book.complete(confirmed(i, T))).isEqualTo(OrderBook.Completion.ORDER_NOT_YET_KNOWN);
    }

    // only the two newest early results are still waiting for their orders
    book.place(order(1, T));
    book.place(order(5, T));
    assertThat(book.get("o1").orElseThrow().status()).isEqualTo(Order.Status.PENDING);
    assertThat(book.get("o5").orElseThrow().status()).isEqualTo(Order.Status.CONFIRMED);
  }

  @Test
  void dropsByCreationTimeNotByTheOrderTheyWereRead() {
    OrderBook book = new OrderBook(new OrderBook.Bound(2, Duration.ofDays(7)), new TestClock());
    // a rebuild reads partitions interleaved: the newest order may come first
    for (int i : new int[] {3, 1, 2}) {
      book.place(order(i, T.plusSeconds(i)));
    }
    for (int i : new int[] {3, 1, 2}) {
      book.complete(confirmed(i, T.plusSeconds(9)));
    }

    assertThat(book.all()).extracting(Order::orderId).containsExactly("o2", "o3");
    assertThat(book.get("o2").orElseThrow().status()).isEqualTo(Order.Status.CONFIRMED);
  }

  @Test
  void theBoundSpellsItsWindowAsTheConfigurationDoes() {
    assertThat(new OrderBook.Bound(10, Duration.ofDays(7)).windowText()).isEqualTo("7d");
    assertThat(new OrderBook.Bound(10, Duration.ofMinutes(90)).windowText()).isEqualTo("90m");
    assertThat(new OrderBook.Bound(10, Duration.ofMillis(1500)).windowText()).isEqualTo("1500ms");
  }
}
