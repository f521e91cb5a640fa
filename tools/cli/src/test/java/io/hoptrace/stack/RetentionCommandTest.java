package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.config.Env;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RetentionCommand command = new RetentionCommand(StackConfig.fromEnv(Env.of(env)),
        new Console(new PrintStream(out, true, StandardCharsets.UTF_8), false));

    assertThat(command.run(List.of())).isEqualTo(3);
    String before = out.toString(StandardCharsets.UTF_8);
    assertThat(before).contains("otel_traces                  DIFFERS").contains("configured: toDateTime(Timestamp) + toIntervalDay(7)")
        .contains("otel_logs                    DIFFERS").contains("otel_metrics_sum             in force");

    out.reset();
    assertThat(command.run(List.of("--apply"))).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("retention changed on [otel_traces, otel_traces_trace_id_ts, otel_logs]")
        .contains("toIntervalDay(365) WHERE SeverityNumber >= 17").doesNotContain("DIFFERS");

    out.reset();
    assertThat(command.run(List.of())).isEqualTo(0);
  }
}
