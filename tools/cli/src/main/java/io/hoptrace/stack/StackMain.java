package io.hoptrace.stack;

import io.hoptrace.config.Env;
import picocli.CommandLine;

/**
 * The {@code ./stack} command. Wiring only: the commands and their options are declared once, in
 * {@link StackCommand} and its subcommands; errors go to standard error; a usage error (an unknown
 * command or option, a bad value) exits 2, a failure 1, {@code status} 3 when something is down.
 */
public final class StackMain {
  private StackMain() {}

  public static void main(String[] args) {
    System.exit(run(Env.system(), null, args));
  }

  /** Runs one command; {@code console} null: the process's own streams. Returns the exit code. */
  static int run(Env env, Console console, String... args) {
    StackCommand root = new StackCommand(env, console);
    String command = null;
    for (String a : args) {
      if (!a.startsWith("-")) {
        command = a;
        break;
      }
    }
    return commandLine(root, command).execute(args);
  }

  /**
   * The command line of {@code root}, with our error handling: with {@code command} alone when it
   * names one (picocli reads every command class it is given, which is most of a quick command's
   * time), every command otherwise (help, the usage, an unknown command).
   */
  static CommandLine commandLine(StackCommand root, String command) {
    CommandLine cli = new CommandLine(root);
    boolean known = command != null && !command.equals("help")
        && StackCommand.COMMANDS.stream().anyMatch(c -> nameOf(c).equals(command));
    for (Class<?> c : StackCommand.COMMANDS) {
      if (!known || nameOf(c).equals(command)) {
        cli.addSubcommand(nameOf(c), c);
      }
    }
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine failed = e.getCommandLine();
      root.console().error(e.getMessage() + "\n       see " + failed.getCommandSpec().qualifiedName() + " --help");
      return CommandLine.ExitCode.USAGE;
    });
    cli.setExecutionExceptionHandler((e, failed, parsed) -> {
      root.console().error(e.getMessage() == null ? e.toString() : e.getMessage());
      if (root.env().optional("HOPTRACE_DEBUG").isPresent()) {
        e.printStackTrace();
      }
      // bad input (a value the command or the system refused) is a usage error; anything else a failure
      return e instanceof IllegalArgumentException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
    });
    cli.setOut(new java.io.PrintWriter(root.console().out(), true));
    return cli;
  }

  private static String nameOf(Class<?> command) {
    return command.getAnnotation(CommandLine.Command.class).name();
  }
}
