package io.hoptrace.faults.scenario;

import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.faults.accounting.SpanAccounting;
import io.hoptrace.faults.probe.ClickHouseQuery;
import io.hoptrace.faults.probe.KafkaOffsets;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.otlp.SpanLedger;
import io.hoptrace.load.otlp.TelemetryLoad;
import io.hoptrace.process.Poll;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * The ingester killed (kill -9) while it writes batches under load, then restarted: no loss, no
 * duplicates. The kill must have caught a batch in flight (its intent committed, its end not; killed
 * again up to {@value #MAX_KILLS} times until one does), and that batch must have been formed again and
 * written after the restart.
 */
public final class IngesterCrash implements Scenario {
  /** Kills until one finds a batch in flight (almost always the first under this load). */
  static final int MAX_KILLS = 5;
  private static final Pattern INTENT = Pattern.compile("hoptrace-batch:v1:(\\d+)-(\\d+)");
  @Override
  public String name() {
    return "ingester";
  }

  @Override
  public String title() {
    return "ingester kill -9 mid-batch under telemetry load, restarted: no loss, no duplicates";
  }

  @Override
  public void run(Stack stack, SuiteOptions o, ScenarioResult result, PrintStream out) throws Exception {
    // twice the usual rate: batches are being written all the time
    TelemetryLoad load = new TelemetryLoad(stack.receiver().url(), "faults-ingester-" + o.seed(), 3_000_000,
        o.tracesPerRequest(), o.telemetryRate() * 2, 4).start();
    ClickHouseQuery ch = new ClickHouseQuery(stack.clickHouse().settings());
    String rows = "SELECT count() FROM otel_traces WHERE ServiceName = " + ClickHouseQuery.quote(load.serviceName());
    String kafka = stack.kafka().bootstrapServers();
    Pause.of(o.loadAround());
    Map<Integer, long[]> inFlight = Map.of();
    long atKill = 0;
    int kills = 0;
    while (inFlight.isEmpty() && kills < MAX_KILLS) {
      // mid-batch: right after a batch of this load landed, while the next ones are formed and inserted
      long before = ch.count(rows);
      Poll.until("the next batch of the load to land", Duration.ofSeconds(60), Duration.ofMillis(10), () -> ch.count(rows) > before);
      atKill = ch.count(rows);
      out.println("    kill -9 the ingester (pid " + stack.jvm(Role.INGESTER).pid() + ") with " + atKill + " rows of this load stored");
      stack.jvm(Role.INGESTER).kill();
      kills++;
      // the process is dead: what it committed is frozen. A batch intent still there is a batch it had not finished
      inFlight = intents(KafkaOffsets.committed(kafka, SpanAccounting.TRACES_GROUP, Topics.OTLP_SPANS));
      if (inFlight.isEmpty() && kills < MAX_KILLS) {
        out.println("    no batch was in flight at that kill; restarting and killing again");
        stack.jvm(Role.INGESTER).start();
      }
    }
    result.figure("kills until one hit a batch in flight", kills);
    result.figure("rows stored when killed", atKill);
    result.figure("batches in flight when killed", inFlight.size());
    Pause.of(o.ingesterDown());
    out.println("    restarting the ingester");
    stack.jvm(Role.INGESTER).start();
    Pause.of(o.loadAround());
    SpanLedger ledger = load.stop();
    SpanAccounting.account(stack, ledger, load.serviceName(), Duration.ofMinutes(5), result);
    result.check("the killed ingester had a batch in flight (its intent committed, its end not)", !inFlight.isEmpty(),
        kills + " kill(s), in flight " + describe(inFlight));
    Map<Integer, OffsetAndMetadata> after = KafkaOffsets.committed(kafka, SpanAccounting.TRACES_GROUP, Topics.OTLP_SPANS);
    long notReformed = inFlight.entrySet().stream()
        .filter(e -> after.get(e.getKey()) == null || after.get(e.getKey()).offset() <= e.getValue()[1]).count();
    result.check("each batch in flight at the kill was formed again and written (committed past its end)",
        !inFlight.isEmpty() && notReformed == 0, notReformed + " of " + inFlight.size() + " not; committed now " + offsets(after));
    result.check("the receiver acknowledged every request (it does not need the ingester)",
        ledger.acknowledgedRequests() == ledger.requests(), ledger.requestsByAnswer().toString());
  }

  /** Partitions whose committed offset carries a batch intent ({@code hoptrace-batch:v1:<first>-<last>}), with its range. */
  static Map<Integer, long[]> intents(Map<Integer, OffsetAndMetadata> committed) {
    Map<Integer, long[]> out = new TreeMap<>();
    committed.forEach((p, o) -> {
      Matcher m = INTENT.matcher(o.metadata() == null ? "" : o.metadata());
      if (m.matches() && Long.parseLong(m.group(1)) == o.offset()) {
        out.put(p, new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
      }
    });
    return out;
  }

  private static String describe(Map<Integer, long[]> inFlight) {
    StringBuilder sb = new StringBuilder("{");
    inFlight.forEach((p, r) -> sb.append(sb.length() > 1 ? ", " : "").append(p).append(": ").append(r[0]).append('-').append(r[1]));
    return sb.append('}').toString();
  }

  private static String offsets(Map<Integer, OffsetAndMetadata> committed) {
    StringBuilder sb = new StringBuilder("{");
    committed.forEach((p, o) -> sb.append(sb.length() > 1 ? ", " : "").append(p).append(": ").append(o.offset()));
    return sb.append('}').toString();
  }
}
