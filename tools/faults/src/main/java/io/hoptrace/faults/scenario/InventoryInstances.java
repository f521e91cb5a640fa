package io.hoptrace.faults.scenario;

import io.hoptrace.faults.Parts;
import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.faults.accounting.OrderAccounting;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.launcher.groups.GroupMembers;
import io.hoptrace.load.orders.OrderClients;
import io.hoptrace.load.orders.ServiceApi;
import io.hoptrace.process.Poll;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Utils;

/**
 * One of three inventory instances killed (kill -9) under 50 order clients on a product whose stock
 * runs out: the instance that owns the product's partition. Its partitions move to the two others
 * (after its 15 s session, and once its open transaction is aborted), which go on deciding the
 * product's orders; restarted, it takes its partitions back. Every order final, no oversell, stock =
 * before − confirmed, as the product's owner has it. Then the two added instances stop and leave the
 * group, so the next scenario finds one. Who held which partition before, during and after is in the figures.
 */
public final class InventoryInstances implements Scenario {
  public static final String PRODUCT = "scale-widget";
  static final String GROUP = "inventory";
  private static final Duration MOVE = Duration.ofMinutes(2);

  /** Enough that the stock lasts past the kill on a quiet machine, small enough to run out soon after the restart. */
  public static int stock(SuiteOptions o) {
    return o.full() ? 12_000 : 5_000;
  }

  /** The suite's stack, set when the scenario runs (the suite runs a scenario once). */
  private Stack stack;

  @Override
  public String name() {
    return "inventory-instances";
  }

  @Override
  public String title() {
    return "one of three inventory instances kill -9 under 50 order clients, restarted: partitions moved away and back, no oversell, "
        + "every order final, stock = before - confirmed";
  }

  @Override
  public void run(Stack stack, SuiteOptions o, ScenarioResult result, PrintStream out) throws Exception {
    this.stack = stack;
    String kafka = stack.kafka().bootstrapServers();
    String orderUrl = stack.jvm(Role.ORDER).url();
    List<JvmInstance> added = new ArrayList<>();
    try {
      for (int k = 2; k <= 3; k++) {
        out.println("    starting inventory instance " + k + " of 3");
        // its own transactional id (= static group member id), kept across its restart, known to scale it down
        added.add(stack.start(Role.INVENTORY, Map.of("INVENTORY_TRANSACTIONAL_ID", memberId(k))));
      }
      List<JvmInstance> all = inventories(stack);
      Map<Long, Set<Integer>> before = await(kafka, "three inventory instances sharing " + Topics.STOCK_REDUCTIONS,
          a -> holding(a, all).size() == 3 && union(a).size() == partitionCount());
      int partitions = partitionCount();
      int partition = Utils.toPositive(Utils.murmur2(PRODUCT.getBytes(StandardCharsets.UTF_8))) % partitions; // the producer's default partitioner
      JvmInstance victim = owner(before, partition, all);
      result.figure("partition of " + PRODUCT, partition);
      result.figure("partitions before (instance: partitions)", describe(before, all));

      int stockBefore = stockAt(orderUrl, victim);
      OrderClients clients = new OrderClients(orderUrl, PRODUCT, o.orderClients(), o.seed()).start();
      Pause.of(o.loadAround());
      long victimPid = victim.pid();
      out.println("    kill -9 " + victim.name() + " (pid " + victimPid + "), the owner of " + PRODUCT + "'s partition " + partition);
      victim.kill();
      // moved: the survivors hold every partition (the group drops the dead static member after its session)
      Map<Long, Set<Integer>> during = await(kafka, "the partitions of " + victim.name() + " to move to the other instances",
          a -> !a.containsKey(victimPid) && union(a).size() == partitions && holding(a, all).size() == 2);
      JvmInstance newOwner = owner(during, partition, all);
      result.figure("partitions after the kill (instance: partitions)", describe(during, all));
      out.println("    partitions moved: " + describe(during, all));
      // and in use: an order of the product decided after the move (only another instance can have decided it)
      long finalAtMove = finalAnswers(clients);
      boolean decided;
      try {
        Poll.until("an order of " + PRODUCT + " decided by " + newOwner.name(), MOVE, Duration.ofMillis(200),
            () -> finalAnswers(clients) > finalAtMove);
        decided = true;
      } catch (Poll.TimeoutException e) {
        decided = false;
      }
      result.figure("orders answered final while " + victim.name() + " was down, after the move", finalAnswers(clients) - finalAtMove);
      int stockWhileDown = stockAt(orderUrl, newOwner);
      result.figure("stock while " + victim.name() + " was down", stockWhileDown);

      out.println("    restarting " + victim.name());
      victim.start();
      Map<Long, Set<Integer>> after = await(kafka, victim.name() + " to hold partitions again",
          a -> !a.getOrDefault(victim.pid(), Set.of()).isEmpty() && holding(a, all).size() == 3 && union(a).size() == partitions);
      result.figure("partitions after the restart (instance: partitions)", describe(after, all));
      out.println("    partitions back: " + describe(after, all));
      Pause.of(o.loadAround());
      // the contended last items: the clients go on until the stock is gone (as the inventory scenario)
      try {
        Poll.until("the stock of " + PRODUCT + " to run out under the load", Duration.ofMinutes(3), Duration.ofMillis(500),
            () -> stockAt(orderUrl, ownerNow(kafka, partition, all)) == 0);
        out.println("    stock of " + PRODUCT + " ran out");
      } catch (Poll.TimeoutException e) {
        out.println("    stock of " + PRODUCT + " did not run out within 3 minutes");
      }
      Pause.of(o.loadAround().dividedBy(2));
      clients.stop();
      JvmInstance ownerAtEnd = ownerNow(kafka, partition, all);
      OrderAccounting.account(new ServiceApi(orderUrl, ownerAtEnd.url()), PRODUCT, stockBefore, clients,
          Duration.ofMinutes(2), result);
      long outOfStock = new ServiceApi(orderUrl, ownerAtEnd.url()).ordersOf(PRODUCT).values().stream()
          .filter(x -> "REJECTED".equals(x.string("status")) && "insufficient_stock".equals(x.string("reason", ""))).count();
      result.figure("orders rejected for insufficient_stock", outOfStock);
      result.check("the stock ran out (the last items were contended)", stockAt(orderUrl, ownerAtEnd) == 0,
          "stock at the end " + stockAt(orderUrl, ownerAtEnd) + " of " + stockBefore);
      result.check("orders were rejected with insufficient_stock", outOfStock > 0, outOfStock + " rejected so");
      result.check("the killed owner's partitions moved to the two other instances", !during.containsKey(victimPid)
          && owner(during, partition, all) != victim, describe(during, all));
      result.check("another instance decided orders of " + PRODUCT + " while its owner was down", decided,
          "within " + MOVE.toSeconds() + " s of the move");
      result.check("restarted, " + victim.name() + " holds partitions again", !after.getOrDefault(victim.pid(), Set.of()).isEmpty(),
          describe(after, all));

      // scale back down to the suite's one instance: the added ones stop and leave the group; the first takes their partitions
      out.println("    stopping the two added instances");
      scaleDown(stack, kafka, added);
      added.clear();
      JvmInstance first = stack.jvm(Role.INVENTORY);
      Map<Long, Set<Integer>> alone = await(kafka, first.name() + " to hold every partition again",
          a -> a.getOrDefault(first.pid(), Set.of()).size() == partitions);
      result.figure("partitions after scaling back to one", describe(alone, List.of(first)));
      first.awaitHealthy(Duration.ofSeconds(60));
      stack.jvm(Role.ORDER).awaitHealthy(Duration.ofSeconds(60));
    } finally {
      if (!added.isEmpty()) {
        scaleDown(stack, kafka, added);
      }
    }
  }

  /** The static member id (and transactional id) of added instance {@code k}. */
  private static String memberId(int k) {
    return GROUP + "-stock-keeper-faults-" + k;
  }

  private static void scaleDown(Stack stack, String kafka, List<JvmInstance> added) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < added.size(); k++) {
      ids.add(added.get(k).env().get("INVENTORY_TRANSACTIONAL_ID"));
      stack.stop(added.get(k));
    }
    try (org.apache.kafka.clients.admin.Admin admin = TopicSetup.admin(kafka)) {
      GroupMembers.removeStatic(admin, GROUP, ids, Duration.ofSeconds(15));
    } catch (java.util.concurrent.ExecutionException e) {
      // a member the group had already dropped (its session ended): nothing left to remove
    }
  }

  /**
   * Partitions by the current pid of the instance behind each static member ({@link GroupMembers}: not by
   * the pid a member's client.id names, which the coordinator keeps stale for a static member restarted
   * within its session; the full run of 2026-12-04 waited 120 s for three instances that had shared the
   * partitions within 8 s).
   */
  private Map<Long, Set<Integer>> assignment(String kafka) throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin = TopicSetup.admin(kafka)) {
      return GroupMembers.partitionsByPid(
          GroupMembers.of(GROUP, admin, GroupMembers.pidByStaticMember(inventories(stack)), Duration.ofSeconds(15)),
          Topics.STOCK_REDUCTIONS);
    }
  }

  /** Every inventory instance of the stack, the first one first. */
  private static List<JvmInstance> inventories(Stack stack) {
    return stack.all(Role.INVENTORY).stream().map(i -> (JvmInstance) i).toList();
  }

  private Map<Long, Set<Integer>> await(String kafka, String what, java.util.function.Predicate<Map<Long, Set<Integer>>> done) {
    @SuppressWarnings("unchecked")
    Map<Long, Set<Integer>>[] seen = new Map[] {Map.of()};
    try {
      Poll.until(what, MOVE, Duration.ofMillis(250), () -> {
        seen[0] = assignment(kafka);
        return done.test(seen[0]);
      });
    } catch (RuntimeException e) {
      // what the group last showed (partitions by the pid of the instance behind each static member), for the report
      throw new IllegalStateException(e.getMessage() + "; the group last showed " + seen[0], e);
    }
    return seen[0];
  }

  /** The members holding at least one partition that are instances of ours. */
  private static Set<Long> holding(Map<Long, Set<Integer>> a, List<JvmInstance> instances) {
    Set<Long> pids = new TreeSet<>();
    instances.forEach(i -> {
      if (!a.getOrDefault(i.pid(), Set.of()).isEmpty()) {
        pids.add(i.pid());
      }
    });
    return pids;
  }

  private static Set<Integer> union(Map<Long, Set<Integer>> a) {
    Set<Integer> all = new TreeSet<>();
    a.values().forEach(all::addAll);
    return all;
  }

  /** Partitions of stock-reductions, as the suite's stack created it. */
  private static int partitionCount() {
    return Topics.all().stream().filter(t -> t.name().equals(Topics.STOCK_REDUCTIONS)).findFirst().orElseThrow().partitions();
  }

  private static JvmInstance owner(Map<Long, Set<Integer>> a, int partition, List<JvmInstance> instances) {
    return instances.stream().filter(i -> a.getOrDefault(i.pid(), Set.of()).contains(partition)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no instance holds partition " + partition + ": " + a));
  }

  private JvmInstance ownerNow(String kafka, int partition, List<JvmInstance> instances) throws Exception {
    return owner(assignment(kafka), partition, instances);
  }

  /** The stock as its owner has it (another instance shows it as last committed, a moment later). */
  private static int stockAt(String orderUrl, JvmInstance owner) {
    return new ServiceApi(orderUrl, owner.url()).stockOf(PRODUCT);
  }

  private static long finalAnswers(OrderClients clients) {
    return clients.placed().values().stream().filter(OrderClients.Placed::answeredFinal).count();
  }

  private static String describe(Map<Long, Set<Integer>> a, List<JvmInstance> instances) {
    Map<Long, String> names = new LinkedHashMap<>();
    instances.forEach(i -> names.put(i.pid(), i.name()));
    return GroupMembers.describe(a, names);
  }
}
