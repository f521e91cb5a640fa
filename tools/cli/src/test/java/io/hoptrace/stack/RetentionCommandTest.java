package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ./stack retention shows configured vs in-force TTLs and applies them on request. */
@ExtendWith(RealInfrastructure.class)
class RetentionCommandTest {
  @Test
  void showsWhatDiffersAndAppliesIt(Infrastructure infra) {
    ClickHouseSettings db = infra.migratedDatabase("retention-cli");
    Map<String, String> env = Map.of("CLICKHOUSE_URL", db.url(), "CLICKHOUSE_DATABASE", db.database(),
        "CLICKHOUSE_TTL_TRACES_DAYS", "7", "CLICKHOUSE_TTL_LOGS_ERROR_DAYS", "365");

    Cli.Result before = Cli.run(env, "retention");
    assertThat(before.exit()).isEqualTo(3);
    assertThat(before.out()).contains("otel_traces                  DIFFERS").contains("configured: toDateTime(Timestamp) + toIntervalDay(7)")
        .contains("otel_logs                    DIFFERS").contains("otel_metrics_sum             in force");

    Cli.Result apply = Cli.run(env, "retention", "--apply");
    assertThat(apply.exit()).isEqualTo(0);
    assertThat(apply.out()).contains("retention changed on [otel_traces, otel_traces_trace_id_ts, otel_logs]")
        .contains("toIntervalDay(365) WHERE SeverityNumber >= 17").doesNotContain("DIFFERS");

    assertThat(Cli.run(env, "retention").exit()).isEqualTo(0);
  }
}
