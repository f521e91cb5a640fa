package io.hoptrace.clickhouse.embedded;

import io.hoptrace.process.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ClickHouse engine ({@code libchdb.so}, ~566 MB, from the npm package named below) in a
 * cache folder outside the repository. Fetches it once with {@code npm pack}, checks the tarball
 * against the integrity npm published and the library against its known SHA-256, and fetches it
 * again whenever the cached copy does not match (a truncated download, a corrupted disk).
 */
public final class EngineCache {
  private static final Logger log = LoggerFactory.getLogger(EngineCache.class);

  public static final String PACKAGE = "@chdb/lib-linux-x64-gnu";
  public static final String VERSION = "26.7.3-stable.1";
  /** npm's {@code dist.integrity} of the package tarball. */
  static final String TARBALL_SHA512 = "XP97mMqnc5tZpKQywR8N7cLTsHNiTmHr30pC5mzo3jWmukjKn2IBa60c2B/gWUNcuFjOMjWoorQICCqBVj5wpw==";
  static final String LIBRARY_SHA256 = "36ad4e999882821ef13cf2d0f52c93f48e6ee1b4498b35a201c23ce4b8d15bf5";
  static final long LIBRARY_SIZE = 566_330_096L;
  static final String LIBRARY = "libchdb.so";

  private static final Object IN_PROCESS_LOCK = new Object();

  private final Path root;

  public EngineCache(Path root) {
    this.root = root;
  }

  /** {@code HOPTRACE_ENGINE_CACHE}, else {@code $XDG_CACHE_HOME/hoptrace/engine}, else {@code ~/.cache/hoptrace/engine}. */
  public static Path defaultRoot() {
    String explicit = System.getenv("HOPTRACE_ENGINE_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("hoptrace").resolve("engine");
  }

  public Path root() {
    return root;
  }

  /** The verified library, fetched first if missing or corrupt. Safe to call from several processes at once. */
  public Path ensure() {
    synchronized (IN_PROCESS_LOCK) {
      try {
        Files.createDirectories(root);
        try (FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = ch.lock()) {
          Path lib = libraryPath();
          if (Files.exists(lib)) {
            String problem = verify(lib);
            if (problem == null) {
              return lib;
            }
            log.warn("cached ClickHouse engine {} is corrupt ({}); fetching it again", lib, problem);
          }
          fetch();
          String problem = verify(lib);
          if (problem != null) {
            throw new EngineFetchException("the fetched ClickHouse engine does not verify: " + problem);
          }
          return lib;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("ClickHouse engine cache " + root + ": " + e.getMessage(), e);
      }
    }
  }

  public Path libraryPath() {
    return root.resolve(VERSION).resolve(LIBRARY);
  }

  /** Null when the library is intact, else what is wrong with it. */
  static String verify(Path lib) throws IOException {
    long size = Files.size(lib);
    if (size != LIBRARY_SIZE) {
      return "size " + size + " bytes, expected " + LIBRARY_SIZE;
    }
    String sha = HexFormat.of().formatHex(digest("SHA-256", lib));
    return sha.equals(LIBRARY_SHA256) ? null : "SHA-256 " + sha + ", expected " + LIBRARY_SHA256;
  }

  private void fetch() throws IOException {
    Path staging = Files.createTempDirectory(root, "fetch-");
    try {
      log.info("fetching the ClickHouse engine {}@{} (~180 MB download, ~570 MB unpacked) into {}", PACKAGE, VERSION, root);
      run(staging, Duration.ofMinutes(15), "npm", "pack", PACKAGE + "@" + VERSION, "--silent", "--pack-destination", staging.toString());
      Path tarball;
      try (Stream<Path> files = Files.list(staging)) {
        tarball = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
            .orElseThrow(() -> new EngineFetchException("npm pack produced no tarball in " + staging));
      }
      String integrity = Base64.getEncoder().encodeToString(digest("SHA-512", tarball));
      if (!integrity.equals(TARBALL_SHA512)) {
        throw new EngineFetchException("tarball " + tarball.getFileName() + " has integrity sha512-" + integrity
            + ", expected sha512-" + TARBALL_SHA512 + " (a tampered or truncated download; nothing was installed)");
      }
      run(staging, Duration.ofMinutes(5), "tar", "-xzf", tarball.toString(), "-C", staging.toString(), "package/" + LIBRARY);
      Path unpacked = staging.resolve("package").resolve(LIBRARY);
      String problem = verify(unpacked);
      if (problem != null) {
        throw new EngineFetchException("unpacked " + LIBRARY + " does not verify: " + problem);
      }
      Path target = libraryPath();
      Files.createDirectories(target.getParent());
      Files.move(unpacked, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      log.info("ClickHouse engine ready at {}", target);
    } finally {
      deleteRecursively(staging);
    }
  }

  private static void run(Path dir, Duration timeout, String... command) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      if ("npm".equals(command[0])) {
        throw new EngineFetchException("npm is needed to fetch the ClickHouse engine (" + PACKAGE + "@" + VERSION
            + ") but could not be run: " + e.getMessage() + ". Install Node.js and npm (Debian: apt-get install nodejs npm).");
      }
      throw e;
    }
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    try {
      Poll.until(String.join(" ", List.of(command)), timeout, Duration.ofMillis(100), () -> !p.isAlive());
    } catch (Poll.TimeoutException e) {
      p.destroyForcibly();
      throw new EngineFetchException(command[0] + " did not finish within " + timeout);
    }
    if (p.exitValue() != 0) {
      throw new EngineFetchException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
          + new String(out, StandardCharsets.UTF_8).trim());
    }
  }

  private static byte[] digest(String algorithm, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance(algorithm);
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The engine could not be fetched or verified; the message says why and what to do. */
  public static final class EngineFetchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineFetchException(String message) {
      super(message);
    }
  }
}
