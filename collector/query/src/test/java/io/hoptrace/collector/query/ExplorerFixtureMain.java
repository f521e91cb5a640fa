package io.hoptrace.collector.query;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import io.hoptrace.collector.query.alerts.AlertRules;
import io.hoptrace.testsupport.Infrastructure;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * The explorer over a fresh database of fixture traces, for the browser tests (and for a look by
 * hand). Uses the ClickHouse of {@code ./stack test} ({@code HOPTRACE_TEST_CLICKHOUSE_URL}) or starts
 * its own; prints one JSON line with the URL and the trace ids, then runs until its standard input
 * closes.
 */
public final class ExplorerFixtureMain {
  private ExplorerFixtureMain() {}

  public static void main(String[] args) throws Exception {
    String url = System.getenv(Infrastructure.ENV_CLICKHOUSE);
    EmbeddedClickHouse own = null;
    if (url == null || url.isBlank()) {
      own = Infrastructure.privateClickHouse(Infrastructure.newDataDir("explorer-fixture"));
      url = own.httpUrl();
    }
    ClickHouseSettings db = new ClickHouseSettings(url, "default", "", Infrastructure.unique("browser").replace('-', '_'));
    new SchemaMigrator(db, RetentionConfig.DEFAULT).migrate();

    TraceFixtures f = new TraceFixtures();
    Instant now = Instant.now();
    for (int i = 0; i < 6; i++) {
      f.listProducts(now.minusSeconds(600 - i * 60L));
    }
    TraceFixtures.OrderTrace failed = f.order(now.minusSeconds(120), "o-41", "p-2", true);
    TraceFixtures.OrderTrace order = f.order(now.minusSeconds(30), "o-42", "p-1", false);
    TraceFixtures.OrderTrace replay = f.replayOf(order, now.minusSeconds(10));
    TraceFixtures.OrderTrace big = f.bigTrace(now.minusSeconds(300), 400);
    f.insert(db);

    // COLLECTOR_QUERY_BASIC_AUTH=user:password puts the explorer behind basic authentication, as in production
    io.hoptrace.web.HttpAuth auth = new io.hoptrace.web.HttpAuth(Optional.empty(),
        Optional.ofNullable(System.getenv("COLLECTOR_QUERY_BASIC_AUTH")).filter(s -> !s.isBlank()), "hoptrace explorer");
    RunningExplorer explorer = RunningExplorer.start(db, AlertRules.defaults(Optional.empty()), args.length > 0 ? Integer.parseInt(args[0]) : 0, auth);
    System.out.println(new JsonObject().put("url", explorer.url()).put("traceId", order.traceId())
        .put("errorTraceId", failed.traceId()).put("replayTraceId", replay.traceId())
        .put("bigTraceId", big.traceId())
        .put("spanIds", new JsonObject(new java.util.HashMap<>(order.spanIds()))).encode());
    System.out.flush();
    try {
      while (System.in.read() >= 0) {
        // until the browser test closes our input
      }
    } finally {
      explorer.close();
      if (own != null) {
        own.stop();
      }
    }
    System.exit(0);
  }
}
