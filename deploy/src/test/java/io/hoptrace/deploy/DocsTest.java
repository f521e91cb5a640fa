package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs stay true to the repository: every relative link and image in README.md and docs/ points
 * at a file that is there (and, into a Markdown file, at a heading it has), the README stays a page a
 * newcomer reads in five minutes, and no file cites notes that live outside the repository.
 */
class DocsTest {
  static final int README_MAX_LINES = 250;
  /** Folders that are not the repository's content: build output, installed packages, run data. */
  static final Set<String> NOT_CONTENT = Set.of(".git", "target", "node_modules", ".data");

  @Test
  void everyRelativeLinkResolvesToAFileAndAHeading() throws IOException {
    List<String> broken = new ArrayList<>();
    List<Path> docs = markdownDocs();
    assertThat(docs).as("README.md and docs/*.md").hasSizeGreaterThan(5);
    for (Path doc : docs) {
      for (String link : Markdown.links(Files.readString(doc))) {
        String problem = problem(doc, link);
        if (problem != null) {
          broken.add(Repo.root().relativize(doc) + ": (" + link + ") " + problem);
        }
      }
    }
    assertThat(broken).as("links in the docs that lead nowhere").isEmpty();
  }

  @Test
  void theReadmeIsAPageANewcomerReadsInFiveMinutes() throws IOException {
    List<String> lines = Files.readAllLines(Repo.root().resolve("README.md"));
    assertThat(lines.size()).as("lines of README.md (the reference belongs in docs/)").isLessThanOrEqualTo(README_MAX_LINES);
    String start = String.join("\n", lines.subList(0, Math.min(20, lines.size())));
    assertThat(start).as("the first two commands, at the top").containsSubsequence("./stack up", "./stack test");
  }

  @Test
  void noFileCitesNotesFromOutsideTheRepository() throws IOException {
    // spelled in two parts so that this file does not cite them either
    List<String> outside = List.of("design" + ".md", "style" + ".md");
    List<String> citing = new ArrayList<>();
    for (Path file : repositoryFiles()) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
      for (String name : outside) {
        if (text.contains(name)) {
          citing.add(Repo.root().relativize(file) + " mentions " + name);
        }
      }
    }
    assertThat(citing).as("files citing notes that are not in the repository: say the fact itself instead").isEmpty();
  }

  /** What is wrong with a link from {@code doc}, or null when it leads somewhere. */
  static String problem(Path doc, String link) throws IOException {
    if (link.isEmpty()) {
      return "empty link";
    }
    if (link.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || link.startsWith("//")) {
      return null; // a web address: not the repository's to check
    }
    int hash = link.indexOf('#');
    String path = URLDecoder.decode(hash < 0 ? link : link.substring(0, hash), StandardCharsets.UTF_8);
    String anchor = hash < 0 ? "" : link.substring(hash + 1);
    Path root = Repo.root().toAbsolutePath().normalize();
    Path target = path.isEmpty() ? doc : doc.getParent().resolve(path).toAbsolutePath().normalize();
    if (!target.startsWith(root)) {
      return "leaves the repository";
    }
    for (Path part : root.relativize(target)) {
      if (NOT_CONTENT.contains(part.toString())) {
        return "points into " + part + "/, which is not in the repository";
      }
    }
    if (!Files.exists(target)) {
      return "no such file: " + root.relativize(target);
    }
    if (!anchor.isEmpty() && target.toString().endsWith(".md")) {
      Set<String> anchors = Markdown.anchors(Files.readString(target));
      if (!anchors.contains(anchor)) {
        return "no heading #" + anchor + " in " + root.relativize(target) + " (its anchors: " + anchors + ")";
      }
    }
    return null;
  }

  static List<Path> markdownDocs() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(Repo.root().resolve("README.md"));
    try (Stream<Path> files = Files.walk(Repo.root().resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** Every file of the repository, without build output, installed packages and run data. */
  static List<Path> repositoryFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(Repo.root(), new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return NOT_CONTENT.contains(String.valueOf(dir.getFileName())) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return files;
  }
}
