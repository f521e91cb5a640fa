package io.hoptrace.faults;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one scenario measured (its accounting, as figures in order) and what it checked. The scenario
 * is exact when every check held.
 */
public final class ScenarioResult {
  /** A file the report writes beside itself: a picture or the raw numbers, with what it shows. */
  public record Attachment(String suffix, String content, String caption) {}

  /** One assertion of the scenario: what must hold, whether it held, and the numbers behind it. */
  public record Check(String what, boolean ok, String detail) {}

  private final String name;
  private final Map<String, String> figures = new LinkedHashMap<>();
  private final List<Check> checks = new ArrayList<>();
  private final List<Attachment> attachments = new ArrayList<>();
  private long seconds;
  private String title = "";

  public ScenarioResult(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public ScenarioResult figure(String what, long value) {
    figures.put(what, String.format(Locale.ROOT, "%,d", value));
    return this;
  }

  public ScenarioResult figure(String what, String value) {
    figures.put(what, value);
    return this;
  }

  /** What the scenario does, in a line (its {@code Scenario#title()}). */
  public ScenarioResult title(String title) {
    this.title = title == null ? "" : title;
    return this;
  }

  public String title() {
    return title;
  }

  public Map<String, String> figures() {
    return figures;
  }

  /** Records a check; returns whether it held. */
  public boolean check(String what, boolean ok, String detail) {
    checks.add(new Check(what, ok, detail));
    return ok;
  }

  /** The scenario could not finish (a component did not come back, a deadline passed): not exact. */
  public ScenarioResult aborted(Throwable e) {
    checks.add(new Check("scenario ran to the end", false, String.valueOf(e.getMessage() == null ? e : e.getMessage())));
    return this;
  }

  /** A file for the report ({@code curves.svg} becomes {@code <report>-<scenario>-curves.svg}); pictures are shown inline. */
  public ScenarioResult attach(String suffix, String content, String caption) {
    attachments.add(new Attachment(suffix, content, caption));
    return this;
  }

  public List<Attachment> attachments() {
    return List.copyOf(attachments);
  }

  public List<Check> checks() {
    return checks;
  }

  public boolean exact() {
    return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
  }

  public void seconds(long s) {
    seconds = s;
  }

  public long seconds() {
    return seconds;
  }

  /** The scenario's accounting table and its checks. */
  public void print(PrintStream out) {
    int w = Math.max(20, figures.keySet().stream().mapToInt(String::length).max().orElse(0));
    out.println();
    out.printf(Locale.ROOT, "%s  (%d s)%n", name, seconds);
    for (Map.Entry<String, String> f : figures.entrySet()) {
      out.printf(Locale.ROOT, "  %-" + w + "s %15s%n", f.getKey(), f.getValue());
    }
    for (Check c : checks) {
      out.printf(Locale.ROOT, "  [%s] %s%s%n", c.ok() ? "ok" : "FAILED", c.what(), c.detail() == null || c.detail().isEmpty() ? "" : ": " + c.detail());
    }
    out.println("  => " + (exact() ? "EXACT" : "NOT EXACT"));
    out.flush();
  }
}
