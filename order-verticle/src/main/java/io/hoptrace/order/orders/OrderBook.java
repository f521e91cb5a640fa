package io.hoptrace.order.orders;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every order this service knows, rebuilt from Kafka (requests + results) and kept current. Requests
 * and results may arrive in any order (a result before its request during a rebuild): a result for an
 * order not yet known waits until the order is placed. A second result for a completed order
 * (redelivery, replay) changes nothing. An order found never committed to Kafka is FAILED; a
 * committed request read later for the same id (a retry with the same key) revives it, because the
 * topic is the truth. Thread-safe: the HTTP handlers and the Kafka readers share it.
 *
 * <p>Bounded ({@link Bound}): it keeps the newest {@code orders} orders created within the last
 * {@code window} and drops the oldest beyond that, by creation time (a rebuild reads partitions
 * interleaved), except an order a request on this instance still waits for. Results that came before
 * their order are kept up to the same count.
 */
public final class OrderBook {
  /**
   * What the book keeps: at most {@code orders} orders, none created more than {@code window} ago
   * (PENDING ones excepted).
   */
  public record Bound(int orders, Duration window) {
    public static final Bound DEFAULT = new Bound(100_000, Duration.ofDays(7));

    public Bound {
      if (orders < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("a bound needs at least one order and a positive window: " + orders + ", " + window);
      }
    }

    @Override
    public String toString() {
      return "the newest " + orders + " orders of the last " + windowText();
    }

    /** The window as the configuration spells it (7d, 12h, 30m, 90s, 500ms). */
    public String windowText() {
      long ms = window.toMillis();
      long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
      String[] names = {"d", "h", "m", "s"};
      for (int i = 0; i < units.length; i++) {
        if (ms % units[i] == 0) {
          return ms / units[i] + names[i];
        }
      }
      return ms + "ms";
    }
  }

  /** The book's size and what it dropped, for health and the 404 of an order it does not keep. */
  public record Kept(int orders, Instant oldest, long dropped, Bound bound) {}

  private final Bound bound;
  private final Clock clock;
  private final Map<String, Order> orders = new HashMap<>();
  /** The orders by creation time: the oldest are dropped first (a rebuild reads partitions interleaved). */
  private final java.util.TreeSet<Age> byAge = new java.util.TreeSet<>();
  private final LinkedHashMap<String, StockResult> early;
  private final Map<String, CompletableFuture<Order>> waiting = new HashMap<>();
  private long dropped;

  private record Age(Instant createdAt, String orderId) implements Comparable<Age> {
    static Age of(Order o) {
      return new Age(o.createdAt(), o.orderId());
    }

    @Override
    public int compareTo(Age other) {
      int c = createdAt.compareTo(other.createdAt);
      return c != 0 ? c : orderId.compareTo(other.orderId);
    }
  }

  private void put(Order o) {
    Order before = orders.put(o.orderId(), o);
    if (before != null && !before.createdAt().equals(o.createdAt())) {
      byAge.remove(Age.of(before));
    }
    byAge.add(Age.of(o));
  }

  /** A book that keeps everything (tests of the other rules). */
  public OrderBook() {
    this(new Bound(Integer.MAX_VALUE, Duration.ofDays(365_000)), Clock.systemUTC());
  }

  public OrderBook(Bound bound, Clock clock) {
    this.bound = bound;
    this.clock = clock;
    this.early = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, StockResult> eldest) {
        return size() > bound.orders(); // a result whose order is older than what is kept
      }
    };
  }

  /** Registers interest in an order's completion before its request is published. */
  public synchronized CompletableFuture<Order> expect(String orderId) {
    return waiting.computeIfAbsent(orderId, id -> new CompletableFuture<>());
  }

  /** The request could not be published: there is no order. */
  public synchronized void forget(String orderId) {
    CompletableFuture<Order> w = waiting.remove(orderId);
    if (w != null) {
      w.cancel(false);
    }
  }

  /** Adds an order (idempotent); completes it at once when its result came first. Returns its current state. */
  public synchronized Order place(Order order) {
    Order known = orders.get(order.orderId());
    if (known != null) {
      return known;
    }
    return add(order);
  }

  /**
   * Adds an order whose request is (or may be) committed to {@code stock-reductions}: like {@link
   * #place}, but a FAILED order comes back to PENDING (a retry with the same key, or its request was
   * read after all).
   */
  public synchronized Order placeReplacingFailed(Order order) {
    Order known = orders.get(order.orderId());
    if (known != null && known.status() != Order.Status.FAILED) {
      return known;
    }
    return add(order);
  }

  /**
   * Records that an order's request was never committed to Kafka: a PENDING (or not yet placed) order
   * becomes FAILED; a completed one is left alone. Returns whether anything changed.
   */
  public synchronized boolean failUnpublished(Order order, String message, Instant at) {
    Order known = orders.get(order.orderId());
    if (known != null && known.completed()) {
      return false;
    }
    Order failed = (known == null ? order : known).notPublished(message, at);
    put(failed);
    notifyWaiter(failed);
    drop();
    return true;
  }

  private Order add(Order order) {
    StockResult r = early.remove(order.orderId());
    Order current = r == null ? order : order.completedBy(r);
    put(current);
    if (current.completed()) {
      notifyWaiter(current);
    }
    drop();
    return current;
  }

  /**
   * Drops the orders that are not among the newest {@code orders} or are older than the window, oldest
   * first, except those a request on this instance still waits for; stops at the first one that may
   * stay (the rest is newer). Amortised O(1): only the waited-for orders are ever passed over.
   */
  private void drop() {
    Instant cutoff = clock.instant().minus(bound.window());
    Iterator<Age> it = byAge.iterator();
    int passed = 0; // waited-for orders: kept beside the newest N
    while (it.hasNext()) {
      Age age = it.next();
      if (orders.size() - passed <= bound.orders() && !age.createdAt().isBefore(cutoff)) {
        return;
      }
      if (waiting.containsKey(age.orderId())) {
        passed++;
        continue;
      }
      it.remove();
      orders.remove(age.orderId());
      dropped++;
    }
  }

  /** Drops what fell out of the window since the last change (called now and then by the reader). */
  public synchronized void dropExpired() {
    drop();
  }

  public synchronized Kept kept() {
    Instant oldest = byAge.isEmpty() ? null : byAge.first().createdAt();
    return new Kept(orders.size(), oldest, dropped, bound);
  }

  public Bound bound() {
    return bound;
  }

  /** What a result did. */
  public enum Completion {
    /** it completed a pending order */
    COMPLETED,
    /** the order was completed before: a redelivered or replayed answer, ignored */
    ALREADY_COMPLETED,
    /** the order is not recorded yet (its request is still being read): it completes it when it is */
    ORDER_NOT_YET_KNOWN
  }

  /**
   * Applies a result. A second result for a completed order changes nothing; a result for a FAILED
   * order completes it (inventory answers committed requests only: the request existed after all).
   */
  public synchronized Completion complete(StockResult r) {
    Order known = orders.get(r.orderId());
    if (known == null) {
      early.putIfAbsent(r.orderId(), r);
      return Completion.ORDER_NOT_YET_KNOWN;
    }
    if (known.completed() && known.status() != Order.Status.FAILED) {
      return Completion.ALREADY_COMPLETED;
    }
    Order done = known.completedBy(r);
    put(done);
    notifyWaiter(done);
    drop();
    return Completion.COMPLETED;
  }

  public synchronized Optional<Order> get(String orderId) {
    return Optional.ofNullable(orders.get(orderId));
  }

  /** All orders, oldest first. */
  public synchronized List<Order> all() {
    List<Order> list = new ArrayList<>(orders.values());
    list.sort(Comparator.comparing(Order::createdAt).thenComparing(Order::orderId));
    return list;
  }

  private void notifyWaiter(Order done) {
    CompletableFuture<Order> w = waiting.remove(done.orderId());
    if (w != null) {
      w.complete(done);
    }
  }
}
