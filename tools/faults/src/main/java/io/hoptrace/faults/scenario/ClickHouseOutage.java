package io.hoptrace.faults.scenario;

import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.faults.accounting.SpanAccounting;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.otlp.SpanLedger;
import io.hoptrace.load.otlp.TelemetryLoad;
import io.hoptrace.process.Poll;
import java.io.PrintStream;
import java.time.Duration;

/** ClickHouse killed (kill -9) under telemetry load, down for a while, restarted: every acknowledged span stored exactly once. */
public final class ClickHouseOutage implements Scenario {
  @Override
  public String name() {
    return "clickhouse";
  }

  @Override
  public String title() {
    return "ClickHouse kill -9 under telemetry load, restarted: every acknowledged span stored exactly once";
  }

  @Override
  public void run(Stack stack, SuiteOptions o, ScenarioResult result, PrintStream out) throws Exception {
    TelemetryLoad load = new TelemetryLoad(stack.receiver().url(), "faults-clickhouse-" + o.seed(), 1_000_000,
        o.tracesPerRequest(), o.telemetryRate(), 4).start();
    Pause.of(o.loadAround());
    out.println("    kill -9 ClickHouse (pid " + stack.clickHouse().pid() + "), down for " + o.clickHouseDown().toSeconds() + " s");
    stack.clickHouse().kill();
    long down = System.nanoTime();
    boolean sawDown;
    try {
      Poll.until("the ingester's health to report ClickHouse down", o.clickHouseDown(), Duration.ofMillis(200),
          () -> stack.jvm(Role.INGESTER).health() == 503);
      sawDown = true;
    } catch (Poll.TimeoutException e) {
      sawDown = false;
    }
    Pause.of(o.clickHouseDown().minusNanos(System.nanoTime() - down));
    out.println("    restarting ClickHouse");
    stack.clickHouse().restart();
    result.figure("ClickHouse down, kill to answering again (s)", (System.nanoTime() - down) / 1_000_000_000L);
    Pause.of(o.loadAround());
    SpanLedger ledger = load.stop();
    SpanAccounting.account(stack, ledger, load.serviceName(), Duration.ofMinutes(5), result);
    result.check("ingester health said 503 while ClickHouse was down", sawDown, "");
    result.check("the receiver acknowledged every request (Kafka holds the backlog)",
        ledger.acknowledgedRequests() == ledger.requests(), ledger.requestsByAnswer().toString());
    stack.jvm(Role.INGESTER).awaitHealthy(Duration.ofSeconds(60));
    result.check("ingester healthy again, same process", stack.jvm(Role.INGESTER).isAlive() && stack.jvm(Role.INGESTER).health() == 200, "");
  }
}
