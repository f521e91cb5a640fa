package io.hoptrace.faults.stack;

import io.hoptrace.process.ChildJvm;
import io.hoptrace.process.ChildProcess;
import io.hoptrace.process.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One of the project's service JVMs, run from its module's packaged jar exactly as {@code ./stack up}
 * runs it; can be killed ({@code kill -9}) and started again with the same environment.
 */
public final class ServiceProcess {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path jar;
  private final String mainClass;
  private final List<String> args;
  private final Map<String, String> env;
  private final String healthUrl;
  private final String heap;
  private final Path logFile;
  private volatile ChildProcess process;
  private int starts;

  ServiceProcess(String name, Path home, String jar, String mainClass, List<String> args, Map<String, String> env,
      String healthUrl, String heap, Path logDir) {
    this.name = name;
    this.jar = home.resolve(jar);
    this.mainClass = mainClass;
    this.args = List.copyOf(args);
    this.env = Map.copyOf(env);
    this.healthUrl = healthUrl;
    this.heap = heap;
    this.logFile = logDir.resolve(name + ".log");
  }

  public String name() {
    return name;
  }

  public String healthUrl() {
    return healthUrl;
  }

  public Map<String, String> env() {
    return env;
  }

  /** Starts the JVM and returns once its health URL answers 200. */
  public void start() {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build first (./stack builds what is stale)");
    }
    starts++;
    process = ChildJvm.builder(name)
        .classpath(jar)
        .classpath(List.of(jar.getParent().resolve("lib").resolve("*").toString()))
        .mainClass(mainClass)
        .args(args)
        .jvmArg("-Xmx" + heap)
        .jvmArg("-XX:+UseG1GC")
        .jvmArg("-Dhoptrace.component=" + name)
        .env(env)
        .logFile(logFile)
        .build()
        .start();
    awaitHealthy(Duration.ofSeconds(120));
  }

  /** Waits until health answers 200; fails early (with the log's tail) if the process exits. */
  public void awaitHealthy(Duration timeout) {
    ChildProcess p = process;
    try {
      Poll.until(name + " health at " + healthUrl, timeout, Duration.ofMillis(200), () -> {
        if (!p.isAlive()) {
          throw new IllegalStateException(name + " exited");
        }
        return health() == 200;
      });
    } catch (Poll.TimeoutException e) {
      throw new IllegalStateException(name + " did not become healthy (" + e.getMessage() + "). Last lines of "
          + logFile + ":\n" + p.tail(30), e);
    }
  }

  /** The health URL's status code, or -1 when it does not answer. */
  public int health() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(healthUrl)).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** {@code kill -9}: no shutdown hook, no flush, no commit. */
  public void kill() {
    if (process != null) {
      process.kill();
    }
  }

  /** SIGTERM, then SIGKILL after 20 s. */
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(20));
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process == null ? -1 : process.pid();
  }

  /** How many times this service was started (1 = never restarted). */
  public int starts() {
    return starts;
  }

  public Path logFile() {
    return logFile;
  }

  public String tail(int lines) {
    return process == null ? "(not started)" : process.tail(lines);
  }
}
