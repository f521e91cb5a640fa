package io.hoptrace.collector;

import static org.assertj.core.api.Assertions.assertThat;
import io.hoptrace.collector.otlp.Otlp;

import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The collector's own metrics reach ClickHouse through its own receiver, as service "collector". */
@ExtendWith(RealInfrastructure.class)
class SelfTelemetryTest {

  @Test
  void ownMetricsLandUnderServiceNameCollector(Infrastructure infra) throws Exception {
    try (TestCollector c = TestCollector.on(infra, "self").with("COLLECTOR_SELF_METRICS_INTERVAL", "500ms").start()) {
      assertThat(Http.post(c.httpUrl() + "/v1/traces", Otlp.traces("someone", 1, 2, 2).toByteArray()).statusCode()).isEqualTo(200);
      assertThat(Http.post(c.httpUrl() + "/v1/traces", new byte[] {0x0a, 0x05, 0x01}).statusCode()).isEqualTo(400);
      c.await("SELECT count() > 0 FROM otel_metrics_sum WHERE ServiceName = 'collector' AND MetricName = 'hoptrace.collector.receiver.accepted'"
          + " AND Attributes['signal'] = 'traces' AND Value = 4", 1, Duration.ofSeconds(60));
      c.await("SELECT count() > 0 FROM otel_metrics_sum WHERE ServiceName = 'collector' AND MetricName = 'hoptrace.collector.receiver.refused'"
          + " AND Attributes['reason'] = 'invalid'", 1, Duration.ofSeconds(60));
      c.await("SELECT count() > 0 FROM otel_metrics_histogram WHERE ServiceName = 'collector' AND MetricName = 'hoptrace.collector.ingester.batch.rows'", 1, Duration.ofSeconds(60));
      c.await("SELECT count() > 0 FROM otel_metrics_gauge WHERE ServiceName = 'collector' AND MetricName = 'hoptrace.collector.ingester.lag'", 1, Duration.ofSeconds(60));
    }
  }
}
