package io.hoptrace.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable twin of a report ({@code BENCHMARKS.json} next to {@code BENCHMARKS.md}):
 * the machine, the command, every row with its goal and verdict, and the raw numbers of the run
 * behind them. Written by the same run, from the same {@link Report}.
 */
final class DataFile {
  private DataFile() {}

  static JsonObject json(Report report) {
    Machine m = report.machine();
    JsonObject machine = new JsonObject().put("cores", m.cores()).put("cpu", m.cpuModel()).put("ramBytes", m.ramBytes())
        .put("os", m.kernel()).put("jdk", m.jdk()).put("date", m.date());
    JsonArray sections = new JsonArray();
    for (Report.Section s : report.sections()) {
      JsonArray rows = new JsonArray();
      for (Report.Row r : s.rows()) {
        JsonObject row = new JsonObject().put("figure", r.figure()).put("value", r.value());
        if (!r.baseline().isEmpty()) {
          row.put("baseline", r.baseline());
        }
        if (!r.ratio().isEmpty()) {
          row.put("ratio", r.ratio());
        }
        if (!r.goal().isEmpty()) {
          row.put("goal", r.goal());
        }
        if (r.met() != null) {
          row.put("met", r.met());
        }
        rows.add(row);
      }
      JsonObject raw = new JsonObject();
      for (Map.Entry<String, List<Double>> e : s.raw().entrySet()) {
        raw.put(e.getKey(), new JsonArray(List.copyOf(e.getValue())));
      }
      sections.add(new JsonObject().put("title", s.title()).put("rows", rows).put("raw", raw));
    }
    return new JsonObject().put("command", report.command()).put("machine", machine).put("sections", sections);
  }

  /** Writes the JSON beside {@code markdown} ({@code .json} for {@code .md}); returns its path. */
  static Path writeBeside(Path markdown, Report report) throws IOException {
    String name = markdown.getFileName().toString();
    Path data = markdown.resolveSibling((name.endsWith(".md") ? name.substring(0, name.length() - 3) : name) + ".json");
    Files.writeString(data, json(report).encodePrettily() + "\n");
    return data;
  }
}
