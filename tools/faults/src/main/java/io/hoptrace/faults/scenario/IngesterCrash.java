package io.hoptrace.faults.scenario;

import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.faults.accounting.SpanAccounting;
import io.hoptrace.faults.probe.ClickHouseQuery;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.otlp.SpanLedger;
import io.hoptrace.load.otlp.TelemetryLoad;
import io.hoptrace.process.Poll;
import java.io.PrintStream;
import java.time.Duration;

/** The ingester killed (kill -9) while it writes batches under load, then restarted: no loss, no duplicates. */
public final class IngesterCrash implements Scenario {
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
    Pause.of(o.loadAround());
    // mid-batch: right after a batch of this load landed, while the next ones are formed and inserted
    long before = ch.count(rows);
    Poll.until("the next batch of the load to land", Duration.ofSeconds(60), Duration.ofMillis(10), () -> ch.count(rows) > before);
    long atKill = ch.count(rows);
    out.println("    kill -9 the ingester (pid " + stack.jvm(Role.INGESTER).pid() + ") with " + atKill + " rows of this load stored");
    stack.jvm(Role.INGESTER).kill();
    result.figure("rows stored when killed", atKill);
    Pause.of(o.ingesterDown());
    out.println("    restarting the ingester");
    stack.jvm(Role.INGESTER).start();
    Pause.of(o.loadAround());
    SpanLedger ledger = load.stop();
    SpanAccounting.account(stack, ledger, load.serviceName(), Duration.ofMinutes(5), result);
    result.check("the killed ingester had not stored everything yet", atKill < ledger.acknowledged().size(),
        atKill + " of " + ledger.acknowledged().size());
    result.check("the receiver acknowledged every request (it does not need the ingester)",
        ledger.acknowledgedRequests() == ledger.requests(), ledger.requestsByAnswer().toString());
  }
}
