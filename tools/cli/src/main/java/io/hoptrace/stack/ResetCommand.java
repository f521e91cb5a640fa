package io.hoptrace.stack;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ./stack reset [--yes]}: stops what runs and wipes the data folder (Kafka's and ClickHouse's
 * data, the logs), so that the next start begins from the seeded catalogue. Asks first on a
 * terminal; refuses without one unless told {@code --yes}. Deletes only inside the data folder, and
 * says what it deleted.
 */
@Command(name = "reset", mixinStandardHelpOptions = true, header = "Stop what runs and wipe the data folder (Kafka, ClickHouse, logs).",
    description = {"Asks first (y/N); --yes skips the question, and without a terminal nothing is deleted without it. Deletes only "
        + "inside the data folder (HOPTRACE_DATA_DIR, default .data), and refuses one that is /, the home folder, the repository, "
        + "or holds anything the stack does not write there. The next start begins from the seeded catalogue."})
final class ResetCommand implements Callable<Integer> {
  @ParentCommand
  StackCommand root;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-y", "--yes"}, description = "Do not ask: wipe it.")
  boolean yes;

  @Override
  public Integer call() {
    StackConfig config = root.config();
    Console console = root.console();
    DataFolder folder = DataFolder.check(config.dataDir(), config.home());
    List<DataFolder.Entry> entries = folder.entries();
    boolean running = StackState.read(config.stateFile()).map(StackState::supervisorPid)
        .flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    if (entries.isEmpty() && !running) {
      console.line("nothing to reset: " + folder.path() + " holds no data");
      return 0;
    }
    if (!yes) {
      if (!console.terminal()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "refusing to wipe " + folder.path()
            + " without asking, and there is no terminal to ask on: add --yes");
      }
      console.line("./stack reset " + (running ? "stops the running stack and " : "") + "deletes, in " + folder.path() + ":");
      entries.forEach(e -> console.line("  " + folder.path().relativize(e.path()) + "  (" + size(e.bytes()) + ")"));
      if (!console.confirm("wipe them?")) {
        console.line("nothing was deleted");
        return 1;
      }
    }
    if (running) {
      new Lifecycle(config, console).stop();
    }
    long total = 0;
    for (DataFolder.Entry e : folder.entries()) {
      DataFolder.delete(e);
      total += e.bytes();
      console.line("deleted " + e.path() + "  (" + size(e.bytes()) + ")");
    }
    console.line("reset " + folder.path() + ": " + size(total) + " freed; ./stack start begins from the seeded catalogue");
    return 0;
  }

  static String size(long bytes) {
    return bytes < 1 << 20 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0) : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }
}
