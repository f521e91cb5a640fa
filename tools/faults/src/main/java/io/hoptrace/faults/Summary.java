package io.hoptrace.faults;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The one table at the end: per scenario the accounting's key figures and whether it was exact. */
final class Summary {
  private static final String[][] COLUMNS = {
      {"sent", "spans sent"}, {"acked", "spans acknowledged"}, {"stored", "spans stored (distinct)"}, {"dup", "duplicated"},
      {"lost", "lost (acknowledged, not stored)"}, {"placed", "orders placed (201/202)"}, {"confirmed", "orders confirmed"},
      {"rejected", "orders rejected"}, {"failed", "orders failed (never committed)"}, {"refused", "orders refused (503)"},
      {"pending", "orders still pending"},
      {"stock before", "stock before"}, {"stock after", "stock after"}, {"oversold", "oversold"}};

  private Summary() {}

  static void print(List<ScenarioResult> results, SuiteOptions o, long seconds, PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "fault suite summary (%s form, seed %d, %d s)%n", o.form(), o.seed(), seconds);
    table(results).forEach(out::println);
    boolean exact = results.stream().allMatch(ScenarioResult::exact);
    out.println(exact ? "every scenario exact" : "NOT EXACT: " + results.stream().filter(r -> !r.exact()).map(ScenarioResult::name).toList());
    long passed = results.stream().filter(ScenarioResult::exact).count();
    out.println("faults: " + passed + " passed, " + (results.size() - passed) + " failed");
    out.flush();
  }

  /** The summary as a Markdown table: a row per scenario, a column per figure of the accounting. */
  static List<String> table(List<ScenarioResult> results) {
    int[] width = new int[COLUMNS.length];
    for (int c = 0; c < COLUMNS.length; c++) {
      width[c] = COLUMNS[c][0].length();
      for (ScenarioResult r : results) {
        width[c] = Math.max(width[c], r.figures().getOrDefault(COLUMNS[c][1], "").length());
      }
    }
    int name = Math.max(10, results.stream().mapToInt(r -> r.name().length()).max().orElse(0));
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "| %-" + name + "s |", "scenario"));
    StringBuilder rule = new StringBuilder("|" + "-".repeat(name + 2) + "|");
    for (int c = 0; c < COLUMNS.length; c++) {
      head.append(String.format(Locale.ROOT, " %" + width[c] + "s |", COLUMNS[c][0]));
      rule.append("-".repeat(width[c] + 1)).append(":|");
    }
    head.append(" checks | result |");
    rule.append("-------:|--------|");
    List<String> lines = new ArrayList<>(List.of(head.toString(), rule.toString()));
    for (ScenarioResult r : results) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %-" + name + "s |", r.name()));
      Map<String, String> f = r.figures();
      for (int c = 0; c < COLUMNS.length; c++) {
        row.append(String.format(Locale.ROOT, " %" + width[c] + "s |", f.getOrDefault(COLUMNS[c][1], "")));
      }
      long ok = r.checks().stream().filter(ScenarioResult.Check::ok).count();
      row.append(String.format(Locale.ROOT, " %6s |", ok + "/" + r.checks().size()));
      row.append(r.exact() ? " exact  |" : " FAILED |");
      lines.add(row.toString());
    }
    return lines;
  }
}
