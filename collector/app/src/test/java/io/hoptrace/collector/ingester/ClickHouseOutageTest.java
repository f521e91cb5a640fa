package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.schema.RetentionConfig;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import io.hoptrace.collector.Http;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ClickHouse stopped during ingestion, then started: every span present exactly once, nothing committed early. */
@ExtendWith(RealInfrastructure.class)
class ClickHouseOutageTest {
  @TempDir Path dir;

  @Test
  void spansSentWhileClickHouseIsDownLandExactlyOnceWhenItReturns(Infrastructure infra) throws Exception {
    try (EmbeddedClickHouse ch = Infrastructure.privateClickHouse(dir.resolve("ch"))) {
      ClickHouseSettings db = new ClickHouseSettings(ch.httpUrl(), "default", "", "otel");
      new SchemaMigrator(db, RetentionConfig.DEFAULT).migrate();
      try (TestCollector c = new TestCollector(infra.kafkaBootstrapServers(), db, "ch-outage").with("COLLECTOR_BATCH_ROWS", "300").start()) {
        assertThat(Http.post(c.httpUrl() + "/v1/traces", Otlp.traces("outage", 1, 20, 10).toByteArray()).statusCode()).isEqualTo(200);
        c.await("SELECT count() FROM otel_traces", 200, Duration.ofSeconds(60));

        ch.stop();
        for (int i = 0; i < 5; i++) { // the receiver does not need ClickHouse: Kafka holds these
          assertThat(Http.post(c.httpUrl() + "/v1/traces", Otlp.traces("outage", 10 + i, 20, 10).toByteArray()).statusCode()).isEqualTo(200);
        }
        Poll.until("health to report ClickHouse down", Duration.ofSeconds(30), Duration.ofMillis(200),
            () -> {
              HttpResponse<String> health = Http.get(c.healthUrl());
              return health.statusCode() == 503
                  && "DOWN".equals(new JsonObject(health.body()).getJsonObject("checks").getJsonObject("clickhouse").getString("status"));
            });

        // the collector restarts while ClickHouse is still away: whatever it had not written must not
        // have been committed (committing before writing loses data), or the new process would skip it
        c.close();
        c.start();

        ch.restart();
        c.await("SELECT count() FROM otel_traces", 1200, Duration.ofSeconds(120));
        assertThat(c.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces")).isEqualTo(1200);
        // the view's part of an insert is committed just after the table's: wait for it, a read can fall in between
        c.await("SELECT count() FROM otel_traces_trace_id_ts", 120, Duration.ofSeconds(30));
        Poll.until("health back to 200", Duration.ofSeconds(30), Duration.ofMillis(200), () -> Http.get(c.healthUrl()).statusCode() == 200);
      }
    }
  }
}
