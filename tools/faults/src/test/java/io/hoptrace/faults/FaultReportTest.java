package io.hoptrace.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report the run writes: its figures and checks are the results', its verdict follows them. */
class FaultReportTest {
  private static final FaultReport.Run RUN =
      new FaultReport.Run(Instant.parse("2026-12-03T23:00:00Z"), "./stack faults --seed 42", "full", 42, 431, "2 cores, test CPU", "abc123");

  private static ScenarioResult kafka(boolean lost) {
    ScenarioResult r = new ScenarioResult("kafka").title("the broker killed under load");
    r.figure("spans sent", 415_500).figure("spans acknowledged", 407_500).figure("lost (acknowledged, not stored)", lost ? 3 : 0);
    r.check("nothing acknowledged is lost", !lost, lost ? "3 lost | of 407,500" : "0 of 407,500");
    r.seconds(61);
    return r;
  }

  @Test
  void theMarkdownHoldsTheRunTheSummaryAndEveryCheckWithItsNumbers() {
    FaultReport report = new FaultReport(RUN, List.of(kafka(false)));
    String md = report.markdown();
    assertThat(report.exact()).isTrue();
    assertThat(md).contains("`./stack faults --seed 42`", "| seed | 42 (repeat with `--seed 42`) |", "| commit | `abc123` |",
        "**every scenario exact**: 1 passed, 0 failed", "## kafka: the broker killed under load", "| spans sent | 415,500 |",
        "- ok: nothing acknowledged is lost: 0 of 407,500");
    assertThat(md).containsPattern("\\| kafka +\\| +415,500 \\| +407,500 \\|.*\\| +1/1 \\| exact +\\|");
  }

  @Test
  void aFailedCheckMakesTheReportNotExactAndIsMarked() {
    FaultReport report = new FaultReport(RUN, List.of(kafka(true)));
    assertThat(report.exact()).isFalse();
    assertThat(report.markdown()).contains("**NOT EXACT**: 0 passed, 1 failed", "- **FAILED**: nothing acknowledged is lost: 3 lost | of 407,500")
        .containsPattern("\\| +0/1 \\| FAILED \\|");
    assertThat(new FaultReport(RUN, List.of()).exact()).as("no scenario ran: nothing to claim").isFalse();
  }

  @Test
  void writesTheMarkdownAndTheSameResultsAsJsonBesideIt(@TempDir Path dir) throws Exception {
    Path md = dir.resolve("reports/FAULTS.md");
    Path data = new FaultReport(RUN, List.of(kafka(false), kafka(true))).write(md);
    assertThat(data).isEqualTo(dir.resolve("reports/FAULTS.json"));
    assertThat(Files.readString(md)).startsWith("# Fault suite report");
    JsonObject json = new JsonObject(Files.readString(data));
    assertThat(json.getLong("seed")).isEqualTo(42);
    assertThat(json.getBoolean("exact")).isFalse();
    assertThat(json.getJsonArray("scenarios")).hasSize(2);
    JsonObject first = json.getJsonArray("scenarios").getJsonObject(0);
    assertThat(first.getJsonObject("figures").getString("spans sent")).isEqualTo("415,500");
    assertThat(first.getJsonArray("checks").getJsonObject(0).getBoolean("ok")).isTrue();
    assertThat(json.getJsonArray("scenarios").getJsonObject(1).getBoolean("exact")).isFalse();
  }
}
