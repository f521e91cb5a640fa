package io.hoptrace.stack;

import io.hoptrace.launcher.Instance;
import io.hoptrace.launcher.Progress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * What ./stack prints: steps, details when verbose, the launcher's progress (each part as it becomes
 * healthy, with its time; a download in bytes and percent), and errors, on standard error, that say
 * what to do.
 */
final class Console {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean verbose;
  private final BufferedReader terminal;

  /** @param terminal where a person answers questions; null when there is none (a pipe, a file, CI) */
  Console(PrintStream out, PrintStream err, boolean verbose, BufferedReader terminal) {
    this.out = out;
    this.err = err;
    this.verbose = verbose;
    this.terminal = terminal;
  }

  /** Output and errors to one stream (tests), no terminal. */
  Console(PrintStream out, boolean verbose) {
    this(out, out, verbose, null);
  }

  static Console system(boolean verbose) {
    java.io.Console c = System.console();
    return new Console(System.out, System.err, verbose, c == null ? null : new BufferedReader(c.reader()));
  }

  PrintStream out() {
    return out;
  }

  /** Output goes to a person at a terminal (progress redraws one line; questions can be asked). */
  boolean terminal() {
    return terminal != null;
  }

  /** Asks a yes/no question on the terminal; only y or yes is a yes. */
  boolean confirm(String question) {
    if (terminal == null) {
      throw new IllegalStateException("no terminal to ask on");
    }
    out.print(question + " [y/N] ");
    out.flush();
    try {
      String answer = terminal.readLine();
      return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    } catch (IOException e) {
      return false;
    }
  }

  void step(String message) {
    out.println("==> " + message);
    out.flush();
  }

  void detail(String message) {
    if (verbose) {
      out.println("    " + message);
      out.flush();
    }
  }

  void line(String message) {
    out.println(message);
    out.flush();
  }

  void error(String message) {
    err.println("error: " + message);
    err.flush();
  }

  /** The launcher's progress, as lines of this console. */
  Progress progress() {
    return new Progress() {
      private final ProgressBar bar = new ProgressBar(out, terminal());

      @Override
      public void starting(Instance instance) {
        step("starting " + instance.name());
      }

      @Override
      public void healthy(Instance instance, Duration took) {
        line(String.format(Locale.ROOT, "    %-10s healthy in %.1f s%s", instance.name(), took.toMillis() / 1000.0,
            instance.pid() > 0 ? " (pid " + instance.pid() + ")" : ""));
      }

      @Override
      public void stopping(Instance instance) {
        step("stopping " + instance.name());
      }

      @Override
      public void detail(String message) {
        Console.this.detail(message);
      }

      @Override
      public void download(String what, long done, long total) {
        bar.bytes("downloading the " + what, done, total);
        if (total > 0 && done >= total) {
          bar.finishLine();
        }
      }

      @Override
      public void warning(String message) {
        error(message);
      }
    };
  }
}
