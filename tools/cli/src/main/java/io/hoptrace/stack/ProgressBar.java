package io.hoptrace.stack;

import java.io.PrintStream;
import java.util.Locale;

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

  static ProgressBar forConsole(Console console) {
    return new ProgressBar(console.out(), console.terminal());
  }

  /** Items done of a total. */
  synchronized void update(String newPhase, long done, long total) {
    draw(newPhase, done, total, done + "/" + total);
  }

  /** Bytes done of a total (-1 when unknown), in MB. */
  synchronized void bytes(String newPhase, long done, long total) {
    draw(newPhase, done, total, total > 0 ? String.format(Locale.ROOT, "%.1f of %.1f MB", done / 1e6, total / 1e6)
        : String.format(Locale.ROOT, "%.1f MB", done / 1e6));
  }

  private void draw(String newPhase, long done, long total, String amount) {
    if (!newPhase.equals(phase)) {
      finishLine();
      phase = newPhase;
      lastStep = -1;
    }
    int pct = total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
    if (terminal) {
      long now = System.nanoTime();
      if (now - lastDraw < 100_000_000L && (total <= 0 || done < total)) {
        return;
      }
      lastDraw = now;
      int filled = pct * WIDTH / 100;
      out.print("\r" + phase + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + pct + "% " + amount);
      out.flush();
    } else if (total > 0 ? pct / 10 != lastStep : lastStep < 0) {
      lastStep = total > 0 ? pct / 10 : 0;
      out.println(phase + ": " + (total > 0 ? pct + "% (" + amount + ")" : amount));
      out.flush();
    }
  }

  synchronized void finishLine() {
    if (terminal && !phase.isEmpty()) {
      out.println();
    }
    phase = "";
  }
}
