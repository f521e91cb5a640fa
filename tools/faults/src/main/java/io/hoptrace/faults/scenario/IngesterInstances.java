package io.hoptrace.faults.scenario;

import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.faults.accounting.SpanAccounting;
import io.hoptrace.faults.probe.ClickHouseQuery;
import io.hoptrace.faults.probe.KafkaOffsets;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.launcher.groups.GroupMembers;
import io.hoptrace.load.otlp.SpanLedger;
import io.hoptrace.load.otlp.TelemetryLoad;
import io.hoptrace.process.Poll;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * One of two ingesters killed (kill -9) right after one of its batches landed, under telemetry load:
 * the other takes over its partitions (after the dead one's session) and forms again the batches it
 * had in flight; no loss, no duplicates. Then the suite's shape comes back: the killed one restarts,
 * the added one stops. Who held which partition of {@code otlp_spans} before and after is in the figures.
 */
public final class IngesterInstances implements Scenario {
  private static final Duration MOVE = Duration.ofMinutes(2);

  @Override
  public String name() {
    return "ingester-instances";
  }

  @Override
  public String title() {
    return "one of two ingesters kill -9 under telemetry load: its partitions taken over by the other, no loss, no duplicates";
  }

  @Override
  public boolean inShortForm() {
    return false;
  }

  @Override
  public void run(Stack stack, SuiteOptions o, ScenarioResult result, PrintStream out) throws Exception {
    String kafka = stack.kafka().bootstrapServers();
    JvmInstance first = stack.jvm(Role.INGESTER);
    out.println("    starting a second ingester");
    JvmInstance second = stack.start(Role.INGESTER, Map.of());
    try {
      List<JvmInstance> both = List.of(first, second);
      Map<Long, Set<Integer>> before = await(kafka, "two ingesters sharing " + Topics.OTLP_SPANS,
          a -> !a.getOrDefault(first.pid(), Set.of()).isEmpty() && !a.getOrDefault(second.pid(), Set.of()).isEmpty()
              && union(a).size() == partitions());
      result.figure("partitions of " + Topics.OTLP_SPANS + " before", describe(before, both));
      // the one holding more partitions dies: the survivor has the most to take over
      JvmInstance victim = before.get(first.pid()).size() >= before.get(second.pid()).size() ? first : second;
      JvmInstance survivor = victim == first ? second : first;
      Set<Integer> victims = before.get(victim.pid());

      TelemetryLoad load = new TelemetryLoad(stack.receiver().url(), "faults-ingester-instances-" + o.seed(), 4_000_000,
          o.tracesPerRequest(), o.telemetryRate() * 2, 4).start();
      ClickHouseQuery ch = new ClickHouseQuery(stack.clickHouse().settings());
      String rows = "SELECT count() FROM otel_traces WHERE ServiceName = " + ClickHouseQuery.quote(load.serviceName());
      Pause.of(o.loadAround());
      // mid-batch, as in the ingester scenario: right after a batch of this load landed
      long landed = ch.count(rows);
      Poll.until("the next batch of the load to land", Duration.ofSeconds(60), Duration.ofMillis(10), () -> ch.count(rows) > landed);
      long victimPid = victim.pid();
      out.println("    kill -9 " + victim.name() + " (pid " + victimPid + "), holding " + Topics.OTLP_SPANS + " " + victims);
      victim.kill();
      Map<Integer, long[]> inFlight = new TreeMap<>(IngesterCrash.intents(
          KafkaOffsets.committed(kafka, SpanAccounting.TRACES_GROUP, Topics.OTLP_SPANS)));
      inFlight.keySet().retainAll(victims);
      result.figure("batches in flight on its partitions when killed", inFlight.size());
      Map<Long, Set<Integer>> during = await(kafka, survivor.name() + " to take over " + victim.name() + "'s partitions",
          a -> !a.containsKey(victimPid) && a.getOrDefault(survivor.pid(), Set.of()).size() == partitions());
      result.figure("partitions of " + Topics.OTLP_SPANS + " after the kill", describe(during, both));
      out.println("    taken over: " + describe(during, both));
      Pause.of(o.loadAround());
      SpanLedger ledger = load.stop();
      SpanAccounting.account(stack, ledger, load.serviceName(), Duration.ofMinutes(5), result);
      result.check(survivor.name() + " took over every partition of " + victim.name(), !during.containsKey(victimPid)
          && during.getOrDefault(survivor.pid(), Set.of()).containsAll(victims), describe(during, both));
      Map<Integer, OffsetAndMetadata> after = KafkaOffsets.committed(kafka, SpanAccounting.TRACES_GROUP, Topics.OTLP_SPANS);
      long notReformed = inFlight.entrySet().stream()
          .filter(e -> after.get(e.getKey()) == null || after.get(e.getKey()).offset() <= e.getValue()[1]).count();
      if (!inFlight.isEmpty()) {
        result.check("each batch in flight at the kill was formed again by " + survivor.name() + " (committed past its end)",
            notReformed == 0, notReformed + " of " + inFlight.size() + " not");
      }
      result.check("the receiver acknowledged every request (it does not need the ingesters)",
          ledger.acknowledgedRequests() == ledger.requests(), ledger.requestsByAnswer().toString());

      // back to the suite's shape: the killed one restarts, the added one stops (and leaves the group)
      out.println("    restarting " + victim.name() + ", stopping " + second.name());
      if (victim == first) {
        first.start();
      }
      stack.stop(second);
      Map<Long, Set<Integer>> alone = await(kafka, first.name() + " to hold every partition",
          a -> a.getOrDefault(first.pid(), Set.of()).size() == partitions() && a.size() == 1);
      result.figure("partitions of " + Topics.OTLP_SPANS + " back to one ingester", describe(alone, List.of(first)));
    } finally {
      if (stack.instances().contains(second)) {
        stack.stop(second);
      }
      if (!first.isAlive()) {
        first.start();
      }
    }
  }

  private static Map<Long, Set<Integer>> await(String kafka, String what, java.util.function.Predicate<Map<Long, Set<Integer>>> done) {
    @SuppressWarnings("unchecked")
    Map<Long, Set<Integer>>[] seen = new Map[] {Map.of()};
    Poll.until(what, MOVE, Duration.ofMillis(250), () -> {
      // dynamic members: each is the process its client.id ends with
      try (org.apache.kafka.clients.admin.Admin admin = TopicSetup.admin(kafka)) {
        seen[0] = GroupMembers.partitionsByPid(GroupMembers.of(SpanAccounting.TRACES_GROUP, admin, Map.of(), Duration.ofSeconds(15)),
            Topics.OTLP_SPANS);
      }
      return done.test(seen[0]);
    });
    return seen[0];
  }

  private static int partitions() {
    return Topics.all().stream().filter(t -> t.name().equals(Topics.OTLP_SPANS)).findFirst().orElseThrow().partitions();
  }

  private static Set<Integer> union(Map<Long, Set<Integer>> a) {
    Set<Integer> all = new TreeSet<>();
    a.values().forEach(all::addAll);
    return all;
  }

  private static String describe(Map<Long, Set<Integer>> a, List<JvmInstance> instances) {
    Map<Long, String> names = new LinkedHashMap<>();
    instances.forEach(i -> names.put(i.pid(), i.name()));
    return GroupMembers.describe(a, names);
  }
}
