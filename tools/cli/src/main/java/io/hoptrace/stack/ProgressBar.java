package io.hoptrace.stack;

import java.io.PrintStream;

/** A one-line progress bar on a terminal; a line per 10% step when output goes to a file or pipe. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final boolean terminal;
  private String phase = "";
  private long lastStep = -1;
  private long lastDraw;

  ProgressBar(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  static ProgressBar forConsole(PrintStream out) {
    return new ProgressBar(out, System.console() != null);
  }

  synchronized void update(String newPhase, long done, long total) {
    if (!newPhase.equals(phase)) {
      finishLine();
      phase = newPhase;
      lastStep = -1;
    }
    int pct = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
    if (terminal) {
      long now = System.nanoTime();
      if (now - lastDraw < 100_000_000L && done < total) {
        return;
      }
      lastDraw = now;
      int filled = pct * WIDTH / 100;
      out.print("\r" + phase + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + pct + "% " + done + "/" + total);
      out.flush();
    } else if (pct / 10 != lastStep) {
      lastStep = pct / 10;
      out.println(phase + ": " + pct + "% (" + done + "/" + total + ")");
    }
  }

  synchronized void finishLine() {
    if (terminal && !phase.isEmpty()) {
      out.println();
    }
    phase = "";
  }
}
