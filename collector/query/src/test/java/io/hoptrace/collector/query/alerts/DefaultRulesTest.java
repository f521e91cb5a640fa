package io.hoptrace.collector.query.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.collector.query.TraceFixtures;
import io.hoptrace.collector.query.clickhouse.ClickHouseHttp;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped rules' SQL runs against the real schema and measures what it says: quiet on a quiet
 * system, over the threshold when orders fail, the order endpoint is slow, the ingester lags or
 * records are dead-lettered.
 */
@ExtendWith(RealInfrastructure.class)
class DefaultRulesTest {

  @Test
  void eachDefaultRuleMeasuresWhatItSays(Infrastructure infra) throws Exception {
    ClickHouseSettings quietDb = infra.migratedDatabase("rules-quiet");
    ClickHouseSettings busyDb = infra.migratedDatabase("rules-busy");
    AlertRules rules = AlertRules.defaults(Optional.empty());

    TraceFixtures f = new TraceFixtures();
    Instant now = Instant.now();
    f.order(now.minusSeconds(30), "o-1", "p-1", false);
    f.insert(quietDb);
    for (int i = 0; i < 3; i++) {
      f.order(now.minusSeconds(20 + i), "o-" + i, "p-1", true); // every order fails
    }
    f.insert(busyDb);
    try (Connection c = DriverManager.getConnection(busyDb.jdbcUrl(), busyDb.jdbcProperties()); Statement s = c.createStatement()) {
      String db = busyDb.database();
      // the collector's self-metrics (the names its metrics module registers)
      s.execute("INSERT INTO " + db + ".otel_metrics_gauge (ServiceName, MetricName, Attributes, TimeUnix, Value) VALUES "
          + "('collector', 'hoptrace.collector.ingester.lag', map('signal', 'traces'), now() - 30, 3000), "
          + "('collector', 'hoptrace.collector.ingester.lag', map('signal', 'traces'), now() - 5, 9000), "
          + "('collector', 'hoptrace.collector.ingester.lag', map('signal', 'logs'), now() - 5, 2500), "
          // stalled: traces was and is (latest 1); logs was and is no more (latest 0)
          + "('collector', 'hoptrace.collector.ingester.stalled', map('signal', 'traces'), now() - 30, 1), "
          + "('collector', 'hoptrace.collector.ingester.stalled', map('signal', 'traces'), now() - 5, 1), "
          + "('collector', 'hoptrace.collector.ingester.stalled', map('signal', 'logs'), now() - 30, 1), "
          + "('collector', 'hoptrace.collector.ingester.stalled', map('signal', 'logs'), now() - 5, 0)");
      s.execute("INSERT INTO " + db + ".otel_metrics_sum (ServiceName, MetricName, Attributes, TimeUnix, Value, IsMonotonic) VALUES "
          + "('collector', 'hoptrace.collector.ingester.dead_letters', map('signal', 'traces'), now() - 5, 2, true)");
      // a slow POST /order-product: the answered order took 900 ms; twenty fast refusals (400) must not hide that
      s.execute("INSERT INTO " + db + ".otel_traces (Timestamp, TraceId, SpanId, SpanName, SpanKind, ServiceName, Duration, StatusCode, SpanAttributes) "
          + "SELECT now64(9) - INTERVAL number SECOND, lower(hex(randomString(16))), lower(hex(randomString(8))), 'POST /order-product', "
          + "'Server', 'order', if(number = 0, 900000000, 1000000), 'Unset', map('http.response.status_code', if(number = 0, '201', '400')) "
          + "FROM numbers(21)");
    }

    Vertx vertx = Vertx.vertx();
    try {
      Map<String, OptionalDouble> quiet = values(vertx, quietDb, rules);
      Map<String, OptionalDouble> busy = values(vertx, busyDb, rules);
      for (AlertRule r : rules.rules()) {
        OptionalDouble q = quiet.get(r.name());
        boolean quietFires = q.isPresent() && r.comparison().holds(q.getAsDouble(), r.threshold());
        assertThat(quietFires).as(r.name() + " on a quiet system (value " + q + ")").isFalse();
        OptionalDouble b = busy.get(r.name());
        assertThat(b).as(r.name() + " on a troubled system").isPresent();
        assertThat(r.comparison().holds(b.getAsDouble(), r.threshold())).as(r.name() + " fires at " + b.getAsDouble()).isTrue();
      }
      assertThat(busy.get("order-error-rate").getAsDouble()).isGreaterThan(0.05);
      assertThat(busy.get("inventory-error-rate").getAsDouble()).isEqualTo(0.5); // its process spans fail, its GET /list-products do not
      assertThat(busy.get("order-product-p95-latency").getAsDouble()).isEqualTo(900.0);
      assertThat(busy.get("collector-ingestion-lag").getAsDouble()).isEqualTo(11_500.0); // latest per signal: 9000 + 2500
      assertThat(busy.get("collector-dead-letters").getAsDouble()).isEqualTo(2.0);
      assertThat(busy.get("collector-ingestion-stalled").getAsDouble()).isEqualTo(1.0);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static Map<String, OptionalDouble> values(Vertx vertx, ClickHouseSettings db, AlertRules rules) throws Exception {
    ClickHouseHttp ch = new ClickHouseHttp(vertx, db, Duration.ofSeconds(10));
    Map<String, OptionalDouble> out = new java.util.LinkedHashMap<>();
    for (AlertRule r : rules.rules()) {
      out.put(r.name(), ch.number(r.sql(), Map.of()).await(20, TimeUnit.SECONDS));
    }
    return out;
  }
}
