package io.hoptrace.bench;

import java.util.ArrayList;
import java.util.List;

/** What a bench run found: per benchmark a section with its figures (each with baseline, ratio, goal) and how it was measured. */
final class Report {
  /** One figure: median and spread, its baseline measured in the same run, the ratio, the goal and whether the median meets it. */
  record Row(String figure, String value, String baseline, String ratio, String goal, Boolean met) {
    static Row info(String figure, String value) {
      return new Row(figure, value, "", "", "", null);
    }
  }

  /**
   * One benchmark's results; {@code raw} holds the run's own numbers behind the rows (per repetition),
   * for the machine-readable data file.
   */
  record Section(String title, List<String> method, List<Row> rows, List<String> details, java.util.Map<String, List<Double>> raw) {
    Section {
      raw = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(raw));
    }

    Section(String title, List<String> method, List<Row> rows, List<String> details) {
      this(title, method, rows, details, java.util.Map.of());
    }
  }

  private final Machine machine;
  private final String command;
  private final List<Section> sections = new ArrayList<>();

  Report(Machine machine, String command) {
    this.machine = machine;
    this.command = command;
  }

  void add(Section s) {
    sections.add(s);
  }

  List<Section> sections() {
    return sections;
  }

  Machine machine() {
    return machine;
  }

  String command() {
    return command;
  }
}
