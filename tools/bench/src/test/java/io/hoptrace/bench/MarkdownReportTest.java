package io.hoptrace.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {
  @Test
  void summaryListsEveryGoalWithItsVerdictAndSectionsKeepTheirDetails() {
    Report report = new Report(new Machine(2, 24L << 30, "Test CPU", "Linux 6.1", "OpenJDK 17", "2026-11-25 14:00 UTC"), "./stack bench");
    report.add(new Report.Section("1. Ingestion throughput", List.of("how it was measured"),
        List.of(new Report.Row("end to end", "61,000 (n=5)", "120,000 spans/s", "0.51", "ratio ≥ 0.6", false),
            Report.Row.info("acknowledged", "90,000")),
        List.of("| run | a|b |")));
    String md = MarkdownReport.render(report, List.of("preface"));
    assertTrue(md.contains("| cores | 2 |"), md);
    assertTrue(md.contains("| CPU | Test CPU |"), md);
    assertTrue(md.contains("| 1. Ingestion throughput | end to end | 61,000 (n=5) | 120,000 spans/s | 0.51 | ratio ≥ 0.6 | **no** |"), md);
    assertTrue(md.contains("## 1. Ingestion throughput\n\nhow it was measured"), md);
    assertTrue(md.contains("| acknowledged | 90,000 |  |  |  |  |"), md);
    assertTrue(md.contains("| run | a|b |"), md);
    // info rows are not goals: not in the summary
    assertTrue(md.indexOf("acknowledged") > md.indexOf("## 1. Ingestion throughput"), md);
  }

  @Test
  void theDataFileHoldsEveryRowItsVerdictAndTheRawNumbersOfTheRun() {
    Report report = new Report(new Machine(2, 1L << 30, "CPU", "Linux", "JDK", "today"), "./stack bench");
    report.add(new Report.Section("6. Orders", List.of("how"),
        List.of(new Report.Row("hot product orders/s", "420 (n=3)", "", "", "≥ 400", true), Report.Row.info("floor", "4.1 ms")),
        List.of(), java.util.Map.of("orders/s", List.of(410.0, 420.0, 431.5))));
    io.vertx.core.json.JsonObject json = DataFile.json(report);
    io.vertx.core.json.JsonObject section = json.getJsonArray("sections").getJsonObject(0);
    assertTrue(section.getString("title").equals("6. Orders"), json.encode());
    assertTrue(section.getJsonArray("rows").getJsonObject(0).getBoolean("met"), json.encode());
    assertTrue(!section.getJsonArray("rows").getJsonObject(1).containsKey("met"), "an info row has no verdict: " + json.encode());
    assertTrue(section.getJsonObject("raw").getJsonArray("orders/s").getDouble(2) == 431.5, json.encode());
    assertTrue(json.getJsonObject("machine").getInteger("cores") == 2, json.encode());
  }

  @Test
  void nothingIsAppendedThatTheRunDidNotProduce() {
    Report report = new Report(new Machine(2, 1L << 30, "CPU", "Linux", "JDK", "today"), "./stack bench");
    String md = MarkdownReport.render(report, List.of());
    assertTrue(md.strip().endsWith("|---|---|---|---|---|---|---|"), "an empty run renders an empty summary and nothing after it: " + md);
  }
}
