package io.hoptrace.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The data folder as {@code ./stack reset} sees it: what it would delete, and whether it may. It
 * refuses a folder that is {@code /}, the home folder, the repository (or a folder holding it), or
 * one holding anything the stack does not write there; it deletes only inside the folder and never
 * follows a link out of it.
 */
final class DataFolder {
  /** What the stack writes into its data folder: each instance's data ({@code kafka}, {@code clickhouse-2}...), logs, state, reports. */
  static final Pattern OURS = Pattern.compile("(kafka|clickhouse)(-\\d+)?|logs|bench|stack\\.state(\\.tmp)?|test-infra\\.log");

  /** One entry to delete: its path and the bytes under it. */
  record Entry(Path path, long bytes) {}

  private final Path dir;

  private DataFolder(Path dir) {
    this.dir = dir;
  }

  /** The data folder {@code dir} of the repository {@code home}; throws naming the reason when it may not be wiped. */
  static DataFolder check(Path dir, Path home) {
    Path d = real(dir);
    Path h = real(home);
    Path user = real(Path.of(System.getProperty("user.home")));
    if (d.getParent() == null) {
      throw new IllegalStateException("refusing to reset " + dir + ": it is the root of the file system. Set HOPTRACE_DATA_DIR to the stack's own folder");
    }
    if (d.equals(user)) {
      throw new IllegalStateException("refusing to reset " + dir + ": it is your home folder. Set HOPTRACE_DATA_DIR to the stack's own folder");
    }
    if (h.startsWith(d)) {
      throw new IllegalStateException("refusing to reset " + dir + ": it " + (h.equals(d) ? "is" : "holds") + " the repository "
          + home + ". Set HOPTRACE_DATA_DIR to the stack's own folder (default .data)");
    }
    DataFolder folder = new DataFolder(d);
    List<String> foreign = folder.names().stream().filter(n -> !OURS.matcher(n).matches()).toList();
    if (!foreign.isEmpty()) {
      throw new IllegalStateException("refusing to reset " + dir + ": it does not look like a hoptrace data folder, it holds "
          + foreign + " (the stack writes only kafka/, clickhouse/, logs/, bench/ and stack.state there); nothing was deleted");
    }
    return folder;
  }

  Path path() {
    return dir;
  }

  /** What a reset deletes, with sizes; empty when there is nothing. */
  List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (String n : names()) {
      Path p = dir.resolve(n);
      out.add(new Entry(p, size(p)));
    }
    return out;
  }

  /** Deletes an entry and everything under it (links are deleted, not followed). */
  static void delete(Entry e) {
    if (!Files.exists(e.path(), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(e.path())) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException x) {
      throw new UncheckedIOException("could not delete " + e.path() + ": " + x.getMessage(), x);
    }
  }

  private List<String> names() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  private static long size(Path p) {
    try (Stream<Path> walk = Files.walk(p)) {
      return walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  /** The real path (links resolved) of {@code p}, or of its nearest existing parent joined with the rest. */
  private static Path real(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs));
    } catch (IOException e) {
      return abs;
    }
  }
}
