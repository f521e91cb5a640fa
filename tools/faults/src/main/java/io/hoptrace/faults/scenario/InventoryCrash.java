package io.hoptrace.faults.scenario;

import io.hoptrace.faults.Parts;
import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.faults.accounting.OrderAccounting;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.orders.OrderClients;
import io.hoptrace.load.orders.ServiceApi;
import io.hoptrace.process.Poll;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Inventory killed (kill -9) under 50 concurrent order clients, then restarted: no oversell, no lost
 * or stuck order, and the stock inventory rebuilds from Kafka equals the accounting (also after one
 * more kill -9 once the load is over).
 */
public final class InventoryCrash implements Scenario {
  public static final String PRODUCT = "crash-widget";

  /** Stock that runs out during the scenario, so the last items are contended and rejections happen. */
  public static int stock(SuiteOptions o) {
    return o.full() ? 8_000 : 2_000;
  }

  @Override
  public String name() {
    return "inventory";
  }

  @Override
  public String title() {
    return "inventory kill -9 under 50 concurrent order clients, restarted: no oversell, no lost or stuck order, stock rebuilt = accounting";
  }

  @Override
  public void run(Stack stack, SuiteOptions o, ScenarioResult result, PrintStream out) throws Exception {
    ServiceApi api = Parts.api(stack);
    int stockBefore = api.stockOf(PRODUCT);
    OrderClients clients = new OrderClients(stack.jvm(Role.ORDER).url(), PRODUCT, o.orderClients(), o.seed()).start();
    Pause.of(o.loadAround());
    out.println("    kill -9 inventory (pid " + stack.jvm(Role.INVENTORY).pid() + "), down for " + o.inventoryDown().toSeconds() + " s");
    stack.jvm(Role.INVENTORY).kill();
    Pause.of(o.inventoryDown());
    out.println("    restarting inventory");
    stack.jvm(Role.INVENTORY).start();
    Pause.of(o.loadAround());
    // a fixed time is not enough on a busy machine: keep the clients on until the stock is gone (the
    // contended last items), then a little longer so that orders meet an empty stock
    try {
      Poll.until("the stock of " + PRODUCT + " to run out under the load", Duration.ofMinutes(3), Duration.ofMillis(500),
          () -> api.stockOf(PRODUCT) == 0);
      out.println("    stock of " + PRODUCT + " ran out");
    } catch (Poll.TimeoutException e) {
      out.println("    stock of " + PRODUCT + " did not run out within 3 minutes");
    }
    Pause.of(o.loadAround());
    clients.stop();
    int expected = OrderAccounting.account(api, PRODUCT, stockBefore, clients, Duration.ofMinutes(2), result);
    // the race this scenario is about (the last items, contended) happened only if the stock ran out
    int stockAtEnd = api.stockOf(PRODUCT);
    long outOfStock = api.ordersOf(PRODUCT).values().stream()
        .filter(x -> "REJECTED".equals(x.string("status")) && "insufficient_stock".equals(x.string("reason", ""))).count();
    result.figure("orders rejected for insufficient_stock", outOfStock);
    result.check("the stock ran out (the last items were contended)", stockAtEnd == 0, "stock at the end " + stockAtEnd + " of " + stockBefore);
    result.check("orders were rejected with insufficient_stock", outOfStock > 0, outOfStock + " rejected so");

    out.println("    kill -9 inventory once more (idle) to check the stock it rebuilds");
    stack.jvm(Role.INVENTORY).kill();
    stack.jvm(Role.INVENTORY).start();
    int rebuilt = api.stockOf(PRODUCT);
    result.figure("stock rebuilt after a restart", rebuilt);
    result.check("stock rebuilt from Kafka = stock before - confirmed", rebuilt == expected, "rebuilt " + rebuilt + ", accounting " + expected);
    stack.jvm(Role.ORDER).awaitHealthy(Duration.ofSeconds(60));
  }
}
