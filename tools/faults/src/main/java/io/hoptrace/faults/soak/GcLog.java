package io.hoptrace.faults.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JVM's {@code -Xlog:gc} file: every pause with the heap in use after it. The soak judges memory
 * by the heap after the full collections it asks for ({@code jcmd GC.run}): that is the live data, free
 * of the sawtooth of garbage that young collections leave behind.
 */
public final class GcLog {
  /** One collection: seconds since the JVM started, whether it was a full one, heap in use after it (MiB). */
  public record Pause(double uptimeSeconds, boolean full, long afterMiB) {}

  // [12.345s][info][gc] GC(7) Pause Full (System.gc()) 150M->35M(384M) 61.2ms
  private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+(?:\\.\\d+)?)s\\].*GC\\(\\d+\\) (Pause \\w+).*? \\d+([KMG])->(\\d+)([KMG])\\(");

  private GcLog() {}

  public static List<Pause> parse(List<String> lines) {
    List<Pause> pauses = new ArrayList<>();
    for (String line : lines) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        pauses.add(new Pause(Double.parseDouble(m.group(1)), m.group(2).equals("Pause Full"), mib(Long.parseLong(m.group(4)), m.group(5))));
      }
    }
    return pauses;
  }

  /** The pauses logged so far; none when the file is not there yet. */
  public static List<Pause> read(Path file) {
    try {
      return Files.exists(file) ? parse(Files.readAllLines(file)) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static long mib(long value, String unit) {
    return switch (unit) {
      case "K" -> value / 1024;
      case "G" -> value * 1024;
      default -> value;
    };
  }
}
