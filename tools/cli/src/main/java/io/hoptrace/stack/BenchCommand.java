package io.hoptrace.stack;

import io.hoptrace.bench.Benchmarks;
import io.hoptrace.config.Env;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./stack bench [ingest|burst|overhead|latency ...] [options]}: the bench module's benchmarks, on a private stack. */
final class BenchCommand {
  static final String USAGE = "usage: ./stack bench [ingest|burst|overhead|latency ...] [--repeats N] [--spans N] [--connections N] "
      + "[--profile] [--quiet-wait 5m] [--out FILE] [--keep]";

  private final StackConfig config;
  private final Console console;

  BenchCommand(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
  }

  int run(List<String> args) {
    List<String> names = new ArrayList<>();
    int repeats = 5;
    long spans = 600_000;
    int connections = 4;
    boolean profile = false;
    boolean keep = false;
    Path out = null;
    java.time.Duration quietWait = java.time.Duration.ofMinutes(5);
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--repeats" -> repeats = positive(a, value(args, ++i));
        case "--spans" -> spans = positive(a, value(args, ++i));
        case "--connections" -> connections = positive(a, value(args, ++i));
        case "--out" -> out = Path.of(value(args, ++i)).toAbsolutePath();
        case "--profile" -> profile = true;
        case "--quiet-wait" -> quietWait = Env.parseDuration(value(args, ++i));
        case "--keep" -> keep = true;
        case "-v", "--verbose" -> { }
        case "all" -> names.addAll(Benchmarks.ALL);
        default -> {
          if (!Benchmarks.ALL.contains(a)) {
            throw new IllegalArgumentException("unknown benchmark or option '" + a + "'; " + USAGE);
          }
          names.add(a);
        }
      }
    }
    boolean all = names.isEmpty() || names.containsAll(Benchmarks.ALL);
    if (names.isEmpty()) {
      names.addAll(Benchmarks.ALL);
    }
    if (out == null) {
      // the full run is the published report; a partial run must not overwrite it
      out = all ? config.home().resolve("BENCHMARKS.md") : config.dataDir().resolve("bench").resolve("BENCHMARKS-" + String.join("-", names) + ".md");
    }
    int batchRows = config.env().integer("COLLECTOR_BATCH_ROWS", 20_000, 1, 1_000_000);
    String command = "./stack bench" + (args.isEmpty() ? "" : " " + String.join(" ", args));
    try {
      Benchmarks.run(new Benchmarks.Options(names, spans, connections, repeats, profile, batchRows, out, command, quietWait, keep),
          config.home(), console::step);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.toString(), e);
    }
    return 0;
  }

  private static String value(List<String> args, int i) {
    if (i >= args.size()) {
      throw new IllegalArgumentException("option " + args.get(i - 1) + " needs a value; " + USAGE);
    }
    return args.get(i);
  }

  private static int positive(String option, String v) {
    try {
      int n = Integer.parseInt(v.replace("_", ""));
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a positive whole number, not '" + v + "'");
    }
  }
}
