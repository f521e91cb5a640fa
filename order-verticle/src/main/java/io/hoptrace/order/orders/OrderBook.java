package io.hoptrace.order.orders;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 */
public final class OrderBook {
  private final Map<String, Order> orders = new HashMap<>();
  private final Map<String, StockResult> early = new HashMap<>();
  private final Map<String, CompletableFuture<Order>> waiting = new HashMap<>();

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
    orders.put(failed.orderId(), failed);
    notifyWaiter(failed);
    return true;
  }

  private Order add(Order order) {
    StockResult r = early.remove(order.orderId());
    Order current = r == null ? order : order.completedBy(r);
    orders.put(order.orderId(), current);
    if (current.completed()) {
      notifyWaiter(current);
    }
    return current;
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
    orders.put(done.orderId(), done);
    notifyWaiter(done);
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
