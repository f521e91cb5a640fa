package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.collector.query.RunningExplorer;
import io.hoptrace.collector.query.TraceFixtures;
import io.hoptrace.collector.query.alerts.AlertRules;
import io.hoptrace.process.Ports;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ./stack trace} and {@code ./stack traces} against the real explorer over the real ClickHouse. */
@ExtendWith(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceCommandsTest {
  RunningExplorer explorer;
  TraceFixtures.OrderTrace order;
  TraceFixtures.OrderTrace failed;

  @BeforeAll
  void start(Infrastructure infra) {
    ClickHouseSettings db = infra.migratedDatabase("trace-cli");
    TraceFixtures f = new TraceFixtures();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    f.listProducts(now.minusSeconds(3_000));
    failed = f.order(now.minusSeconds(120), "o-7", "p-3", true);
    order = f.order(now.minusSeconds(60), "o-8", "p-1", false);
    f.insert(db);
    explorer = RunningExplorer.start(db, AlertRules.none());
  }

  @AfterAll
  void stop() {
    explorer.close();
  }

  Cli.Result run(String... args) {
    return Cli.run(Map.of("HOPTRACE_EXPLORER_URL", explorer.url()), args);
  }

  @Test
  void traceprintsTheWaterfallOfAKnownTrace() {
    Cli.Result r = run("trace", order.traceId());
    assertThat(r.exit()).isEqualTo(0);
    String text = r.out();
    String[] lines = text.split("\n");
    assertThat(lines[0]).isEqualTo("trace " + order.traceId() + "  order: POST /order-product");
    assertThat(lines[1]).contains("40.000ms, 7 spans, services order, inventory, 2 Kafka hops, no errors");
    assertThat(lines[2]).isEqualTo("  " + explorer.url() + "/trace/" + order.traceId());
    assertThat(List.of(lines).subList(4, 12)).containsExactly(
        "    OFFSET   DURATION  STATUS WATERFALL                          SPAN",
        "  +0.000ms   40.000ms  unset  |################################| order SERVER POST /order-product",
        "  +2.000ms    8.000ms  unset  | #######                        |   order CLIENT GET",
        "  +3.000ms    5.000ms  unset  |  ####                          |     inventory SERVER GET /list-products",
        " +12.000ms    4.000ms  unset  |         ####                   |   order PRODUCER stock-reductions publish  [topic stock-reductions p1 @42]",
        " +19.000ms   10.000ms  unset  |               ########         |     inventory CONSUMER stock-reductions process  [topic stock-reductions p1 @42]  waited 3.000ms in Kafka",
        " +22.000ms    3.000ms  unset  |                 ###            |       inventory PRODUCER stock-reduction-results publish  [topic stock-reduction-results p0 @7]",
        " +30.000ms    6.000ms  unset  |                        #####   |         order CONSUMER stock-reduction-results process  [topic stock-reduction-results p0 @7]  waited 5.000ms in Kafka");
    assertThat(text).contains("logs:\n", "  +1.000ms  INFO  order      order o-8 received: product p-1, quantity 2",
        " +20.000ms  INFO  inventory  reduced stock of p-1 by 2 (8 left)");

    String failedText = run("trace", failed.traceId().toUpperCase()).out();
    assertThat(failedText).contains("2 error spans").contains("ERROR  |").contains("ERROR inventory  cannot reduce stock of p-3");
  }

  @Test
  void tracesListsRecentTracesNewestFirst() {
    String text = run("traces", "--service", "order", "--last", "10m").out();
    String[] lines = text.split("\n");
    assertThat(lines[0]).startsWith("STARTED");
    assertThat(lines[1]).contains(order.traceId(), "40.000ms", "    7", "order: POST /order-product (inventory, order)");
    assertThat(lines[2]).contains(failed.traceId(), "ERROR");
    assertThat(lines).hasSize(4);
    assertThat(lines[3]).startsWith("2 traces");
    assertThat(run("traces", "--service", "order", "--status", "error", "--last", "1h").out())
        .contains(failed.traceId()).doesNotContain(order.traceId());
  }

  @Test
  void badInputAndAMissingExplorerAreExplained() {
    assertUsageError(run("trace", "xyz"), "'xyz' is not a trace id");
    assertUsageError(run("trace"), "Missing required parameter: '<traceId>'");
    assertUsageError(run("trace", TraceFixtures.traceId()), "no spans of trace");
    assertUsageError(run("traces", "--last", "forever"), "lookback 'forever' is not an age");
    assertUsageError(run("traces", "--colour"), "Unknown option: '--colour'");
    int closed = Ports.freePort();
    Cli.Result r = Cli.run(Map.of("HOPTRACE_EXPLORER_URL", "http://127.0.0.1:" + closed), "trace", order.traceId());
    assertThat(r.exit()).as("a runtime failure").isEqualTo(1);
    assertThat(r.err()).contains("the trace explorer at http://127.0.0.1:" + closed + " is not reachable").contains("./stack status");
  }

  static void assertUsageError(Cli.Result r, String message) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: ").contains(message);
    assertThat(r.out()).isEmpty();
  }
}
