package io.hoptrace.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process this JVM started: its output goes to a log file, so a failure can quote the last lines.
 * {@link #stop} asks politely (SIGTERM) and then insists; {@link #kill} is {@code kill -9}, for fault tests.
 */
public final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path logFile;

  ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, then SIGKILL if the process has not ended after {@code grace}. Returns the exit code. */
  public int stop(Duration grace) {
    if (!process.isAlive()) {
      return process.exitValue();
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      return process.isAlive() ? -1 : process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return -1;
    }
  }

  /** SIGKILL: no shutdown hooks, no flush. What a crash looks like. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last {@code lines} lines of the process output, for error messages. */
  public String tail(int lines) {
    return tail(logFile, lines);
  }

  public static String tail(Path file, int lines) {
    if (file == null || !Files.exists(file)) {
      return "(no log)";
    }
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      Deque<String> last = new ArrayDeque<>();
      for (String l : all) {
        last.addLast(l);
        if (last.size() > lines) {
          last.removeFirst();
        }
      }
      return String.join(System.lineSeparator(), last);
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(20));
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ", log " + logFile + ")";
  }
}
