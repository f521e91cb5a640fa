package io.hoptrace.bench;

import java.util.List;

/** Writes a {@link Report} as {@code BENCHMARKS.md}: machine and date, a summary of every goal, then each benchmark. */
final class MarkdownReport {
  private MarkdownReport() {}

  /** Every word and figure comes from {@code report} (the run) and {@code preface} (how to read it); nothing static is appended. */
  static String render(Report report, List<String> preface) {
    StringBuilder b = new StringBuilder();
    b.append("# hoptrace benchmarks\n\n");
    b.append("Written by `").append(report.command()).append("` on ").append(report.machine().date()).append(".\n\n");
    b.append("| machine | |\n|---|---|\n");
    b.append("| cores | ").append(report.machine().cores()).append(" |\n");
    b.append("| CPU | ").append(esc(report.machine().cpuModel())).append(" |\n");
    b.append(String.format(java.util.Locale.ROOT, "| RAM | %.1f GB |%n", report.machine().ramBytes() / 1e9));
    b.append("| OS | ").append(esc(report.machine().kernel())).append(" |\n");
    b.append("| JDK | ").append(esc(report.machine().jdk())).append(" |\n");
    b.append("| date | ").append(report.machine().date()).append(" |\n\n");
    for (String p : preface) {
      b.append(p).append('\n');
    }
    if (!preface.isEmpty()) {
      b.append('\n');
    }
    b.append("## Summary\n\n");
    b.append("| benchmark | figure | median (min–max, spread, runs) | baseline (same run) | ratio | goal | met |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    for (Report.Section s : report.sections()) {
      for (Report.Row r : s.rows()) {
        if (r.met() != null) {
          b.append("| ").append(esc(s.title())).append(" | ").append(row(r)).append('\n');
        }
      }
    }
    b.append('\n');
    for (Report.Section s : report.sections()) {
      b.append("## ").append(s.title()).append("\n\n");
      for (String m : s.method()) {
        b.append(m).append('\n');
      }
      b.append("\n| figure | median (min–max, spread, runs) | baseline (same run) | ratio | goal | met |\n");
      b.append("|---|---|---|---|---|---|\n");
      for (Report.Row r : s.rows()) {
        b.append("| ").append(row(r)).append('\n');
      }
      if (!s.details().isEmpty()) {
        b.append('\n');
        for (String d : s.details()) {
          b.append(d).append('\n');
        }
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String row(Report.Row r) {
    String met = r.met() == null ? "" : r.met() ? "**yes**" : "**no**";
    return esc(r.figure()) + " | " + esc(r.value()) + " | " + esc(r.baseline()) + " | " + esc(r.ratio()) + " | " + esc(r.goal()) + " | " + met + " |";
  }

  private static String esc(String s) {
    return s == null ? "" : s.replace("|", "\\|");
  }
}
