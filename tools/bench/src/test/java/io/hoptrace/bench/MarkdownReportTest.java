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
  void theFindingsComeWithEveryReport() {
    String findings = Benchmarks.findings();
    assertTrue(findings.contains("## What the profiles showed"), findings);
    Report report = new Report(new Machine(2, 1L << 30, "CPU", "Linux", "JDK", "today"), "./stack bench");
    assertTrue(MarkdownReport.render(report, List.of(), findings).endsWith(findings.strip() + "\n"));
  }
}
