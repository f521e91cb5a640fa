package io.hoptrace.stack;

import io.hoptrace.config.Env;
import java.util.Map;
import picocli.CommandLine;

/**
 * The usage of {@code ./stack} and of each command, as the command classes declare it, in one text
 * the {@code stack} script prints without building anything (a fresh clone has nothing built):
 * sections headed {@code @@ ./stack}, {@code @@ ./stack up}, ..., {@code @@ --version}. Committed as
 * {@code tools/cli/usage.txt}; {@code UsageTextTest} fails when it is out of date.
 */
final class UsageText {
  static final String FILE = "tools/cli/usage.txt";

  private UsageText() {}

  static String render() {
    CommandLine cli = new StackCommand(Env.of(Map.of()), null).commandLine();
    StringBuilder b = new StringBuilder();
    b.append("# The usage of ./stack, generated from the command classes of tools/cli (UsageText): the stack script prints\n");
    b.append("# it without building. Do not edit; UsageTextTest fails when it is out of date and says how to regenerate it.\n");
    section(b, "./stack", cli.getUsageMessage(CommandLine.Help.Ansi.OFF));
    cli.getSubcommands().forEach((name, sub) -> {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        section(b, "./stack " + name, sub.getUsageMessage(CommandLine.Help.Ansi.OFF));
      }
    });
    section(b, "--version", String.join("\n", new StackCommand.Version().getVersion()) + "\n");
    return b.toString();
  }

  private static void section(StringBuilder b, String name, String text) {
    b.append("@@ ").append(name).append('\n').append(text);
  }
}
