package io.hoptrace.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The complete lines a process appended to its log since the last look, up to a line that ends the interest. */
final class LogFollower {
  private final Path file;
  private final String until;
  private long offset;
  private boolean done;
  private final StringBuilder partial = new StringBuilder();

  LogFollower(Path file, String until) {
    this.file = file;
    this.until = until;
  }

  /** New complete lines (none once the {@code until} line was seen, or while the file does not exist). */
  List<String> poll() {
    List<String> lines = new ArrayList<>();
    if (done) {
      return lines;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      if (f.length() <= offset) {
        return lines;
      }
      f.seek(offset);
      byte[] bytes = new byte[(int) Math.min(f.length() - offset, 1 << 20)];
      f.readFully(bytes);
      offset += bytes.length;
      partial.append(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return lines;
    }
    int nl;
    while ((nl = partial.indexOf("\n")) >= 0) {
      String line = partial.substring(0, nl);
      partial.delete(0, nl + 1);
      if (line.equals(until)) {
        done = true;
        break;
      }
      lines.add(line);
    }
    return lines;
  }
}
