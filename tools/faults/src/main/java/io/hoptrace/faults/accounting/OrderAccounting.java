package io.hoptrace.faults.accounting;

import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.load.json.Json;
import io.hoptrace.load.orders.OrderClients;
import io.hoptrace.load.orders.ServiceApi;
import io.hoptrace.process.Poll;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The business accounting of one product: the orders clients were told about against order's book
 * and inventory's stock. Exact when no order is lost, invented, stuck PENDING or changed a final
 * answer (only an order answered PENDING may end FAILED: its request never committed), every refusal
 * is a documented 503, nothing was oversold, and stock = stock before − confirmed quantities.
 */
public final class OrderAccounting {
  /** The refusals the order API documents for an order it did not create. */
  static final Set<String> DOCUMENTED_REFUSALS = Set.of("503 kafka_unavailable", "503 not_ready");

  private OrderAccounting() {}

  /**
   * Waits (up to {@code settle}) for every order the clients placed to leave PENDING, then accounts.
   * Returns the stock the accounting expects.
   */
  public static int account(ServiceApi api, String productId, int stockBefore, OrderClients clients, Duration settle,
      ScenarioResult result) {
    Map<String, OrderClients.Placed> placed = clients.placed();
    Map<String, Json.Obj> book;
    try {
      Poll.until("every order of " + productId + " to leave PENDING", settle, Duration.ofMillis(500),
          () -> api.ordersOf(productId).values().stream().noneMatch(o -> "PENDING".equals(o.string("status"))));
    } catch (Poll.TimeoutException e) {
      // accounted below as stuck orders
    }
    book = api.ordersOf(productId);
    long confirmed = 0;
    long rejected = 0;
    long failedOrders = 0;
    long pending = 0;
    long confirmedQuantity = 0;
    long lost = 0;
    long changed = 0;
    long answeredPending = 0;
    for (OrderClients.Placed p : placed.values()) {
      Json.Obj o = book.get(p.orderId());
      if (o == null) {
        lost++;
        continue;
      }
      String status = o.string("status");
      switch (status) {
        case "CONFIRMED" -> {
          confirmed++;
          confirmedQuantity += o.integer("quantity");
        }
        case "REJECTED" -> rejected++;
        case "FAILED" -> failedOrders++;
        default -> pending++;
      }
      if (!p.answeredFinal()) {
        answeredPending++;
      } else if (!p.status().equals(status)) {
        changed++;
      }
    }
    long invented = book.keySet().stream().filter(id -> !placed.containsKey(id)).count();
    long refused = clients.refused().values().stream().mapToLong(Long::longValue).sum();
    long failed = clients.refused().entrySet().stream().filter(e -> !DOCUMENTED_REFUSALS.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    int stockAfter = api.stockOf(productId);
    long expected = stockBefore - confirmedQuantity;

    result.figure("orders placed (201/202)", placed.size());
    result.figure("  answered 202 PENDING", answeredPending);
    result.figure("orders confirmed", confirmed);
    result.figure("orders rejected", rejected);
    result.figure("orders failed (never committed)", failedOrders);
    result.figure("orders still pending", pending);
    result.figure("orders refused (503)", refused - failed);
    clients.refused().forEach((k, v) -> result.figure("  " + k, v));
    result.figure("orders refused otherwise", failed);
    if (!clients.retried().isEmpty()) {
      result.figure("answers retried with the same Idempotency-Key", clients.retried().values().stream().mapToLong(Long::longValue).sum());
      clients.retried().forEach((k, v) -> result.figure("  " + k, v));
    }
    result.figure("stock before", stockBefore);
    result.figure("confirmed quantity", confirmedQuantity);
    result.figure("stock after", stockAfter);
    result.figure("oversold", Math.max(0, confirmedQuantity - stockBefore));
    result.check("every placed order is in the book", lost == 0, lost + " of " + placed.size() + " missing");
    result.check("no order in the book that no client was told about", invented == 0, invented + " unknown orders");
    result.check("no order stuck PENDING after " + settle.toSeconds() + " s", pending == 0, pending + " pending");
    result.check("every 201 answer is the order's final status", changed == 0, changed + " changed");
    result.check("every refusal is a documented 503 " + DOCUMENTED_REFUSALS, failed == 0, clients.refused().toString());
    result.check("no oversell", confirmedQuantity <= stockBefore && stockAfter >= 0, confirmedQuantity + " confirmed of " + stockBefore);
    result.check("stock = stock before - confirmed", stockAfter == expected, "inventory says " + stockAfter + ", accounting " + expected);
    return (int) expected;
  }
}
