package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.config.Env;
import io.hoptrace.process.Poll;
import io.hoptrace.process.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./stack load --duration 10s} on a whole stack started as {@code ./stack up} starts it (free
 * ports): it finds the stack from its state, exits 0, its summary adds up, and ClickHouse holds the
 * traces of its orders.
 */
class LoadCommandTest {
  static Path data;
  static StackConfig config;
  static SupervisedStack stack;
  static Map<String, String> env;

  @BeforeAll
  static void up() throws Exception {
    data = TestStacks.newDataDir("load-test");
    env = TestStacks.env(data);
    config = StackConfig.fromEnv(Env.of(env));
    stack = new SupervisedStack(config, TestStacks.silentConsole());
    stack.up();
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.down();
    }
    TestStacks.deleteDataDir(data);
  }

  @Test
  void tenSecondsOfLoadAddUpAndLandInClickHouse() throws Exception {
    // the ports in env are the stack's, but the load must find the services from the stack's state:
    // give it other (closed) ports, so that only the state file can lead it there
    Map<String, String> loadEnv = new HashMap<>(env);
    loadEnv.put("ORDER_HTTP_PORT", String.valueOf(Ports.freePort()));
    loadEnv.put("INVENTORY_HTTP_PORT", String.valueOf(Ports.freePort()));
    Cli.Result r = Cli.run(loadEnv, "load", "--duration", "10s", "--rate", "40/s", "--seed", "7", "--hot-product");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    String out = r.out();

    long sent = number(out, "(\\d+) order requests sent");
    long confirmed = number(out, "CONFIRMED (\\d+),");
    long rejected = number(out, "REJECTED (\\d+) \\(out of stock\\)");
    long pending = number(out, "PENDING (\\d+),");
    long invalid = number(out, "invalid (\\d+) \\(refused");
    long errors = number(out, "errors (\\d+)");
    assertThat(sent).as(out).isGreaterThan(200); // 40/s for 10 s, less what a loaded machine skips
    assertThat(confirmed + rejected + pending + invalid + errors).as(out).isEqualTo(sent);
    assertThat(confirmed).as(out).isPositive();
    assertThat(invalid).as(out).isPositive();
    assertThat(out).doesNotContain("still without an answer");
    long restocks = number(out, "restocks: (\\d+) sent");
    assertThat(restocks).as(out).isPositive();
    assertThat(out).as(out).contains("restocks: " + restocks + " sent, " + restocks + " applied;");
    // a line every 5 s without a terminal
    assertThat(out).containsPattern("(?m)^ +5s +\\d+\\.\\d orders/s  CONFIRMED \\d+  REJECTED \\d+  PENDING \\d+  invalid \\d+  errors \\d+  p50 ");

    // every order that was decided is in ClickHouse: its HTTP span at order, its Kafka hop at inventory
    String db = config.clickHouse().database();
    Poll.until("the load's order traces in ClickHouse", Duration.ofSeconds(90), Duration.ofMillis(500), () ->
        count("SELECT count() FROM " + db + ".otel_traces WHERE ServiceName = 'order' AND SpanKind = 'Server'"
            + " AND SpanName = 'POST /order-product' AND SpanAttributes['http.response.status_code'] = '201'") >= confirmed + rejected
        && count("SELECT count() FROM " + db + ".otel_traces WHERE ServiceName = 'inventory' AND SpanKind = 'Consumer'"
            + " AND SpanName = 'stock-reductions process'") >= confirmed + rejected
        && count("SELECT count() FROM " + db + ".otel_traces WHERE ServiceName = 'inventory' AND SpanKind = 'Consumer'"
            + " AND SpanName = 'stock-restocks process'") >= restocks);
  }

  private static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static long count(String sql) {
    return TestStacks.count(config, sql);
  }
}
