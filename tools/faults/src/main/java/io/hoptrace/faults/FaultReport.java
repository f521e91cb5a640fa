package io.hoptrace.faults;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fault suite's report as the run writes it: a Markdown file (the summary table, then every
 * scenario's figures and checks with their numbers) and, beside it, the same as JSON for machines. Every
 * figure in it comes from the run that wrote it; nothing is added by hand.
 *
 * @param run where, when and how the suite ran
 * @param results every scenario's accounting and checks, in the order they ran
 */
public record FaultReport(Run run, List<ScenarioResult> results) {
  public FaultReport {
    results = List.copyOf(results);
  }

  /**
   * Where, when and how the suite ran.
   *
   * @param started when the run began
   * @param command the command line, as typed
   * @param form full or short
   * @param seed the seed of every random choice
   * @param seconds how long the whole run took
   * @param machine cores, CPU model and memory, as the run saw them
   * @param commit the commit the run was built from ({@code unknown} outside a git checkout)
   */
  public record Run(Instant started, String command, String form, long seed, long seconds, String machine, String commit) {}

  public boolean exact() {
    return !results.isEmpty() && results.stream().allMatch(ScenarioResult::exact);
  }

  /** The Markdown, naming attachments as {@code write} names their files beside {@code <base>.md}. */
  public String markdown() {
    return markdown("report");
  }

  private static String attachmentName(String base, ScenarioResult r, ScenarioResult.Attachment a) {
    return base.equals(r.name()) ? base + "-" + a.suffix() : base + "-" + r.name() + "-" + a.suffix();
  }

  String markdown(String base) {
    StringBuilder md = new StringBuilder();
    md.append("# Fault suite report\n\n");
    md.append("Written by `").append(run.command()).append("` in the run it reports; do not edit by hand.\n\n");
    md.append("| | |\n|---|---|\n");
    row(md, "date", run.started().toString());
    row(md, "form", run.form());
    row(md, "seed", run.seed() + " (repeat with `--seed " + run.seed() + "`)");
    row(md, "duration", run.seconds() + " s");
    row(md, "machine", run.machine());
    row(md, "commit", "`" + run.commit() + "`");
    long passed = results.stream().filter(ScenarioResult::exact).count();
    row(md, "verdict", (exact() ? "**every scenario exact**" : "**NOT EXACT**") + ": " + passed + " passed, "
        + (results.size() - passed) + " failed");
    md.append("\n## Summary\n\n");
    for (String line : Summary.table(results)) {
      md.append(line).append('\n');
    }
    for (ScenarioResult r : results) {
      md.append("\n## ").append(r.name());
      if (!r.title().isEmpty()) {
        md.append(": ").append(r.title());
      }
      md.append("\n\n").append(r.exact() ? "exact" : "**NOT EXACT**").append(", ").append(r.seconds()).append(" s.\n\n");
      if (!r.figures().isEmpty()) {
        md.append("| figure | value |\n|---|---:|\n");
        for (Map.Entry<String, String> f : r.figures().entrySet()) {
          md.append("| ").append(cell(f.getKey())).append(" | ").append(cell(f.getValue())).append(" |\n");
        }
        md.append('\n');
      }
      for (ScenarioResult.Check c : r.checks()) {
        md.append("- ").append(c.ok() ? "ok" : "**FAILED**").append(": ").append(c.what());
        if (c.detail() != null && !c.detail().isEmpty()) {
          md.append(": ").append(c.detail());
        }
        md.append('\n');
      }
      for (ScenarioResult.Attachment a : r.attachments()) {
        String file = attachmentName(base, r, a);
        md.append('\n').append(a.suffix().endsWith(".svg") || a.suffix().endsWith(".png") ? "![" + a.caption() + "](" + file + ")\n\n" + a.caption()
            : "[" + file + "](" + file + "): " + a.caption()).append('\n');
      }
    }
    return md.toString();
  }

  public JsonObject json() {
    JsonArray scenarios = new JsonArray();
    for (ScenarioResult r : results) {
      JsonArray checks = new JsonArray();
      r.checks().forEach(c -> checks.add(new JsonObject().put("what", c.what()).put("ok", c.ok()).put("detail", c.detail())));
      scenarios.add(new JsonObject().put("name", r.name()).put("title", r.title()).put("exact", r.exact())
          .put("seconds", r.seconds()).put("figures", new JsonObject(Map.copyOf(r.figures()))).put("checks", checks));
    }
    return new JsonObject().put("started", run.started().toString()).put("command", run.command()).put("form", run.form())
        .put("seed", run.seed()).put("seconds", run.seconds()).put("machine", run.machine()).put("commit", run.commit())
        .put("exact", exact()).put("scenarios", scenarios);
  }

  /** Writes the Markdown to {@code file} and the JSON beside it ({@code .json} instead of {@code .md}); returns the JSON's path. */
  public Path write(Path file) {
    String name = file.getFileName().toString();
    String base = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
    Path data = file.resolveSibling(base + ".json");
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, markdown(base));
      Files.writeString(data, json().encodePrettily() + "\n");
      for (ScenarioResult r : results) {
        for (ScenarioResult.Attachment a : r.attachments()) {
          Files.writeString(file.resolveSibling(attachmentName(base, r, a)), a.content());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the fault report " + file + ": " + e.getMessage(), e);
    }
    return data;
  }

  private static void row(StringBuilder md, String key, String value) {
    md.append("| ").append(key).append(" | ").append(value).append(" |\n");
  }

  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }

  /** Cores, CPU model and memory of this machine, for the report's header. */
  public static String machine() {
    String cpu = "unknown CPU";
    long memKb = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the cores alone
    }
    return String.format(Locale.ROOT, "%d cores, %s%s", Runtime.getRuntime().availableProcessors(), cpu,
        memKb > 0 ? String.format(Locale.ROOT, ", %d GiB", Math.round(memKb / 1024.0 / 1024.0)) : "");
  }

  /** The commit checked out in {@code home} (with {@code +changes} when the tree differs from it), or {@code unknown}. */
  public static String commit(Path home) {
    try {
      String head = git(home, "rev-parse", "--short=12", "HEAD");
      if (head.isEmpty()) {
        return "unknown";
      }
      return git(home, "status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + " +changes";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String git(Path home, String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", home.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes()).trim();
    return p.waitFor() == 0 ? text : "";
  }
}
