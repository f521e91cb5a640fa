package io.hoptrace.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthTest {
  private static Health.Report evaluate(Health health) throws Exception {
    return health.evaluate().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyCheckUpIs200WithEachCheckAndTheProcessFields() throws Exception {
    Health.Report r = evaluate(Health.builder()
        .check("kafka", () -> Future.succeededFuture(Health.Check.up("1 broker(s) reachable").withDetails(new JsonObject().put("brokers", 1))))
        .checkNow("state", () -> Health.Check.up("caught up"))
        .fields(() -> new JsonObject().put("service", "order").put("caughtUp", true))
        .build());
    assertThat(r.httpStatus()).isEqualTo(200);
    assertThat(r.body().fieldNames()).containsExactly("status", "reason", "service", "caughtUp", "checks");
    assertThat(r.body().getString("status")).isEqualTo("UP");
    assertThat(r.body().getString("reason")).isEqualTo("every check is UP: kafka, state");
    assertThat(r.body().getJsonObject("checks")).isEqualTo(new JsonObject()
        .put("kafka", new JsonObject().put("status", "UP").put("reason", "1 broker(s) reachable").put("details", new JsonObject().put("brokers", 1)))
        .put("state", new JsonObject().put("status", "UP").put("reason", "caught up")));
  }

  @Test
  void anyCheckDownIs503AndTheReasonsOfTheDownChecksInTheirOrder() throws Exception {
    Health.Report r = evaluate(Health.builder()
        .checkNow("kafka", () -> Health.Check.down("Kafka is unreachable"))
        .checkNow("catalogue", () -> Health.Check.up("3 products"))
        .checkNow("state", () -> Health.Check.down("not caught up"))
        .build());
    assertThat(r.httpStatus()).isEqualTo(503);
    assertThat(r.body().getString("status")).isEqualTo("DOWN");
    assertThat(r.body().getString("reason")).isEqualTo("Kafka is unreachable; not caught up");
    assertThat(r.body().getJsonObject("checks").getJsonObject("catalogue").getString("status")).isEqualTo("UP");
    assertThat(r.body().getJsonObject("checks").getJsonObject("state").getString("status")).isEqualTo("DOWN");
  }

  @Test
  void aCheckThatFailsThrowsOrNeverAnswersIsDown() throws Exception {
    Promise<Health.Check> never = Promise.promise();
    Health.Report r = evaluate(Health.builder()
        .check("fails", () -> Future.failedFuture(new IllegalStateException("no route to host")))
        .check("throws", () -> {
          throw new IllegalArgumentException("bad probe");
        })
        .check("silent", never::future)
        .timeout(Duration.ofMillis(200))
        .build());
    assertThat(r.httpStatus()).isEqualTo(503);
    JsonObject checks = r.body().getJsonObject("checks");
    assertThat(checks.getJsonObject("fails").getString("reason")).isEqualTo("java.lang.IllegalStateException: no route to host");
    assertThat(checks.getJsonObject("throws").getString("reason")).isEqualTo("java.lang.IllegalArgumentException: bad probe");
    assertThat(checks.getJsonObject("silent").getString("reason")).isEqualTo("no answer within 200 ms");
  }
}
