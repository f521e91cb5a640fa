package io.hoptrace.stack;

import io.hoptrace.config.Env;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ./stack}: every command and option, declared once (the commands are the classes listed
 * here). Nothing heavy happens until a command runs, so that {@code status}, {@code stop} and
 * {@code trace} answer quickly.
 */
@Command(name = "./stack", mixinStandardHelpOptions = true, versionProvider = StackCommand.Version.class,
    sortOptions = false,
    description = {"hoptrace: the one entry point. Runs the system (an embedded Kafka and ClickHouse, the collector, inventory "
        + "and order), looks into it and tests it. Settings are environment variables (docs/configuration.md).",
        "Exit codes: 0 done, 1 failed, 2 bad usage, 3 (status, retention) something is down or differs."},
    commandListHeading = "%nCommands:%n")
final class StackCommand implements Runnable {
  /** The commands, in the order the usage lists them. */
  static final List<Class<?>> COMMANDS = List.of(LifecycleCommands.Up.class, LifecycleCommands.Start.class, LifecycleCommands.Stop.class,
      LifecycleCommands.Status.class, ResetCommand.class, LifecycleCommands.Test.class, BenchCommand.class, FaultsCommand.class,
      LoadCommand.class, ReplayCommand.class, TraceCommand.class, TracesCommand.class, RetentionCommand.class, LifecycleCommands.TestInfra.class,
      CommandLine.HelpCommand.class);

  private final Env env;
  private Console console;
  private StackConfig config;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Print details: topics created, migrations applied...")
  boolean verbose;

  StackCommand(Env env, Console console) {
    this.env = env;
    this.console = console;
  }

  /** Every command. */
  CommandLine commandLine() {
    return StackMain.commandLine(this, null);
  }

  Env env() {
    return env;
  }

  Console console() {
    if (console == null) {
      console = Console.system(verbose);
    }
    return console;
  }

  StackConfig config() {
    if (config == null) {
      config = StackConfig.fromEnv(env);
    }
    return config;
  }

  /** {@code ./stack} alone: the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(console().out());
  }

  /** The project's version, written into the build by Maven. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"hoptrace " + version()};
    }

    static String version() {
      Properties p = new Properties();
      try (InputStream in = StackCommand.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        // unknown below
      }
      return p.getProperty("version", "(unknown version)");
    }
  }
}
