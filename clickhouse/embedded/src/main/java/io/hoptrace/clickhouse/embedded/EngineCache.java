package io.hoptrace.clickhouse.embedded;

import io.hoptrace.process.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ClickHouse engine ({@code libchdb.so}, ~566 MB, from the npm package named below) in a
 * cache folder outside the repository. Fetches it once: asks npm where the package's tarball is
 * ({@code npm view}, so npm's registry configuration applies), downloads it with progress, checks it
 * against the integrity pinned here (which npm must report too) and the library against its known
 * SHA-256, and fetches it again whenever the cached copy does not match (a truncated download, a
 * corrupted disk).
 */
public final class EngineCache {
  /** Bytes downloaded so far, and the total ({@code -1} when the server does not say). */
  @FunctionalInterface
  public interface DownloadProgress {
    DownloadProgress NONE = (done, total) -> { };

    void downloaded(long done, long total);
  }

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
    return ensure(DownloadProgress.NONE);
  }

  /** {@link #ensure()}, reporting a download's progress. */
  public Path ensure(DownloadProgress progress) {
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
          fetch(progress);
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

  private void fetch(DownloadProgress progress) throws IOException {
    Path staging = Files.createTempDirectory(root, "fetch-");
    try {
      log.info("fetching the ClickHouse engine {}@{} (~180 MB download, ~570 MB unpacked) into {}", PACKAGE, VERSION, root);
      Tarball where = locate(staging);
      if (!where.integrity().equals("sha512-" + TARBALL_SHA512)) {
        throw new EngineFetchException("npm reports integrity " + where.integrity() + " for " + PACKAGE + "@" + VERSION
            + ", expected sha512-" + TARBALL_SHA512 + " (a different package than the one this build pins; nothing was downloaded)");
      }
      Path tarball = staging.resolve("engine.tgz");
      String integrity = Base64.getEncoder().encodeToString(download(where.url(), tarball, progress));
      if (!integrity.equals(TARBALL_SHA512)) {
        throw new EngineFetchException("tarball " + where.url() + " has integrity sha512-" + integrity
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

  /** Where npm says the package's tarball is, and the integrity it publishes for it. */
  record Tarball(String url, String integrity) {}

  private static final Pattern JSON_FIELD = Pattern.compile("\"(dist\\.tarball|dist\\.integrity)\"\\s*:\\s*\"([^\"]+)\"");

  private static Tarball locate(Path dir) throws IOException {
    String json = run(dir, Duration.ofMinutes(2), "npm", "view", PACKAGE + "@" + VERSION, "dist.tarball", "dist.integrity", "--json");
    return parseView(json);
  }

  /** {@code npm view <pkg> dist.tarball dist.integrity --json}: {@code {"dist.tarball": "...", "dist.integrity": "..."}}. */
  static Tarball parseView(String json) {
    String url = null;
    String integrity = null;
    Matcher m = JSON_FIELD.matcher(json);
    while (m.find()) {
      if (m.group(1).equals("dist.tarball")) {
        url = m.group(2);
      } else {
        integrity = m.group(2);
      }
    }
    if (url == null || integrity == null) {
      throw new EngineFetchException("npm view " + PACKAGE + "@" + VERSION + " did not name the tarball and its integrity: " + json.strip());
    }
    return new Tarball(url, integrity);
  }

  /** Streams {@code url} into {@code file}, reporting progress; returns the SHA-512 of what it wrote. */
  static byte[] download(String url, Path file, DownloadProgress progress) throws IOException {
    HttpClient.Builder client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30));
    proxy().ifPresent(client::proxy);
    HttpResponse<InputStream> response;
    try {
      response = client.build().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(15)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineFetchException("interrupted while downloading " + url);
    }
    if (response.statusCode() != 200) {
      response.body().close();
      throw new EngineFetchException("downloading " + url + " answered HTTP " + response.statusCode());
    }
    long total = response.headers().firstValueAsLong("content-length").orElse(-1);
    MessageDigest sha512 = digest("SHA-512");
    try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(file)) {
      byte[] buf = new byte[1 << 16];
      long done = 0;
      long reported = 0;
      progress.downloaded(0, total);
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        sha512.update(buf, 0, n);
        done += n;
        if (done - reported >= 1 << 20) {
          progress.downloaded(done, total);
          reported = done;
        }
      }
      progress.downloaded(done, total);
    }
    return sha512.digest();
  }

  /** {@code https_proxy} / {@code HTTPS_PROXY} when set, as npm honours them. */
  private static java.util.Optional<ProxySelector> proxy() {
    for (String var : List.of("https_proxy", "HTTPS_PROXY")) {
      String v = System.getenv(var);
      if (v != null && !v.isBlank()) {
        URI u = URI.create(v.contains("://") ? v : "http://" + v);
        return java.util.Optional.of(ProxySelector.of(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 80 : u.getPort())));
      }
    }
    return java.util.Optional.empty();
  }

  private static String run(Path dir, Duration timeout, String... command) throws IOException {
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
    return new String(out, StandardCharsets.UTF_8);
  }

  private static byte[] digest(String algorithm, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = digest(algorithm);
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return md.digest();
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
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
