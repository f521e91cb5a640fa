package io.hoptrace.collector.query.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.collector.query.RunningExplorer;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alert rules against the real ClickHouse, notifying a real HTTP receiver: the rule fires when its
 * number crosses the threshold, resolves when it goes back, and the explorer shows it meanwhile.
 */
@ExtendWith(RealInfrastructure.class)
class AlertEvaluatorTest {

  @Test
  void firesAndResolvesAndNotifiesTheWebhook(Infrastructure infra) throws Exception {
    ClickHouseSettings db = infra.migratedDatabase("alerts");
    sql(db, "CREATE TABLE " + db.database() + ".probe (v Float64) ENGINE = MergeTree ORDER BY tuple()");

    Vertx receiverVertx = Vertx.vertx();
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    HttpServer receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      attempts.add(1);
      if (attempts.size() == 1) {
        req.response().setStatusCode(503).end(); // the first delivery fails: the notifier retries
        return;
      }
      received.add(body.toJsonObject());
      req.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    String hook = "http://127.0.0.1:" + receiver.actualPort() + "/hook";

    AlertRules rules = AlertRules.parse("test", String.join("\n",
        "rules:",
        "  - name: probe-high",
        "    description: the probe's sum is above 5",
        "    sql: SELECT sum(v) FROM probe",
        "    comparison: '>'",
        "    threshold: 5",
        "    interval: 200ms",
        "    for: 600ms",
        "    labels: {severity: critical, team: tests}",
        "    webhook: " + hook,
        "  - name: broken",
        "    sql: SELECT nothing FROM no_such_table",
        "    comparison: '>'",
        "    threshold: 0",
        "    interval: 200ms",
        ""), Optional.empty());

    try (RunningExplorer explorer = RunningExplorer.start(db, rules)) {
      Poll.until("the first evaluations", Duration.ofSeconds(20), Duration.ofMillis(100),
          () -> explorer.get("/api/alerts").json().getJsonArray("rules").getJsonObject(0).getString("lastEvaluation") != null);
      JsonObject idle = explorer.get("/api/alerts").json();
      assertThat(idle.getInteger("firing")).isZero();
      assertThat(idle.getJsonArray("rules").getJsonObject(0).getString("state")).isEqualTo("inactive");

      sql(db, "INSERT INTO " + db.database() + ".probe VALUES (7)");
      Poll.until("the firing notification", Duration.ofSeconds(30), Duration.ofMillis(100), () -> !received.isEmpty());
      JsonObject firing = received.get(0);
      assertThat(firing.getString("status")).isEqualTo("firing");
      assertThat(firing.getString("rule")).isEqualTo("probe-high");
      assertThat(firing.getDouble("value")).isEqualTo(7.0);
      assertThat(firing.getDouble("threshold")).isEqualTo(5.0);
      assertThat(firing.getString("comparison")).isEqualTo(">");
      assertThat(firing.getJsonObject("labels").getMap()).containsEntry("severity", "critical").containsEntry("team", "tests");
      assertThat(firing.getString("startsAt")).isNotNull();
      assertThat(attempts).hasSize(2);

      JsonObject active = explorer.get("/api/alerts").json();
      assertThat(active.getInteger("firing")).isEqualTo(1);
      assertThat(active.getJsonArray("active").getJsonObject(0).getString("name")).isEqualTo("probe-high");
      JsonObject broken = active.getJsonArray("rules").getJsonObject(1);
      assertThat(broken.getString("state")).isEqualTo("inactive");
      assertThat(broken.getString("error")).contains("no_such_table");

      sql(db, "TRUNCATE TABLE " + db.database() + ".probe");
      Poll.until("the resolved notification", Duration.ofSeconds(30), Duration.ofMillis(100), () -> received.size() >= 2);
      JsonObject resolved = received.get(1);
      assertThat(resolved.getString("status")).isEqualTo("resolved");
      assertThat(resolved.getString("rule")).isEqualTo("probe-high");
      assertThat(resolved.getString("endsAt")).isNotNull();
      assertThat(resolved.getString("startsAt")).isEqualTo(firing.getString("startsAt"));
      assertThat(explorer.get("/api/alerts").json().getInteger("firing")).isZero();
      assertThat(received).hasSize(2);
    } finally {
      receiverVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void sql(ClickHouseSettings db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties()); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
