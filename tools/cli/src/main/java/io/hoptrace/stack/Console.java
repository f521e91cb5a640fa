package io.hoptrace.stack;

import java.io.PrintStream;

/** What ./stack prints: steps, details when verbose, and errors that say what to do. */
final class Console {
  private final PrintStream out;
  private final boolean verbose;

  Console(PrintStream out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
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
    out.println("error: " + message);
    out.flush();
  }
}
