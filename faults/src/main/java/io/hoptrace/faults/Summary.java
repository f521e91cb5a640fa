package io.hoptrace.faults;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The one table at the end: per scenario the accounting's key figures and whether it was exact. */
final class Summary {
  private static final String[][] COLUMNS = {
      {"sent", "spans sent"}, {"acked", "spans acknowledged"}, {"stored", "spans stored (distinct)"}, {"dup", "duplicated"},
      {"lost", "lost (acknowledged, not stored)"}, {"placed", "orders placed (201/202)"}, {"confirmed", "orders confirmed"},
      {"rejected", "orders rejected"}, {"failed", "orders failed (other answer)"}, {"pending", "orders still pending"},
      {"stock before", "stock before"}, {"stock after", "stock after"}, {"oversold", "oversold"}};

  private Summary() {}

  static void print(List<ScenarioResult> results, SuiteOptions o, long seconds, PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "fault suite summary (%s form, seed %d, %d s)%n", o.form(), o.seed(), seconds);
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "| %-10s |", "scenario"));
    StringBuilder rule = new StringBuilder("|------------|");
    for (String[] c : COLUMNS) {
      head.append(String.format(Locale.ROOT, " %s |", c[0]));
      rule.append("-".repeat(c[0].length() + 1)).append(":|");
    }
    head.append(" result |");
    rule.append("--------|");
    out.println(head);
    out.println(rule);
    for (ScenarioResult r : results) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %-10s |", r.name()));
      Map<String, String> f = r.figures();
      for (String[] c : COLUMNS) {
        row.append(String.format(Locale.ROOT, " %" + c[0].length() + "s |", f.getOrDefault(c[1], "")));
      }
      row.append(r.exact() ? " exact  |" : " FAILED |");
      out.println(row);
    }
    boolean exact = results.stream().allMatch(ScenarioResult::exact);
    out.println(exact ? "every scenario exact" : "NOT EXACT: " + results.stream().filter(r -> !r.exact()).map(ScenarioResult::name).toList());
    long passed = results.stream().filter(ScenarioResult::exact).count();
    out.println("faults: " + passed + " passed, " + (results.size() - passed) + " failed");
    out.flush();
  }
}
