package io.hoptrace.stack;

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

/** One of our services, run from its module's jar in its own JVM; ready when its health URL answers 200. */
final class ServiceComponent implements Component {
  private final ServiceSpec spec;
  private final StackConfig config;
  private ChildProcess process;

  ServiceComponent(ServiceSpec spec, StackConfig config) {
    this.spec = spec;
    this.config = config;
  }

  @Override
  public String name() {
    return spec.name();
  }

  Path jar() {
    return config.home().resolve(spec.jar());
  }

  @Override
  public void start() {
    Path jar = jar();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build first (./stack builds what is stale; or mvn package -DskipTests)");
    }
    ChildJvm.Builder jvm = ChildJvm.builder(spec.name())
        .classpath(jar)
        .classpath(List.of(jar.getParent().resolve("lib").resolve("*").toString()))
        .mainClass(spec.mainClass())
        .jvmArg("-Xmx" + heap())
        .jvmArg("-XX:+UseG1GC")
        .jvmArg("-Dhoptrace.component=" + spec.name());
    // extra JVM options after ours (so they win), e.g. a profiler agent or another GC:
    // HOPTRACE_SERVICE_JAVA_OPTS for every service, HOPTRACE_<NAME>_JAVA_OPTS for one
    for (String var : List.of("HOPTRACE_SERVICE_JAVA_OPTS", "HOPTRACE_" + spec.name().toUpperCase(java.util.Locale.ROOT) + "_JAVA_OPTS")) {
      for (String opt : config.env().string(var, "").trim().split("\\s+")) {
        if (!opt.isEmpty()) {
          jvm.jvmArg(opt);
        }
      }
    }
    process = jvm
        .env(spec.env().apply(config))
        .logFile(config.logDir().resolve(spec.name() + ".log"))
        .workingDir(config.home())
        .build()
        .start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create(spec.healthUrl())).timeout(Duration.ofSeconds(3)).build();
    try {
      Poll.until(spec.name() + " health at " + spec.healthUrl(), Duration.ofSeconds(120), Duration.ofMillis(250), () -> {
        if (!process.isAlive()) {
          throw new IllegalStateException(spec.name() + " exited");
        }
        return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      });
    } catch (Poll.TimeoutException e) {
      process.stop(Duration.ofSeconds(10));
      throw new IllegalStateException(spec.name() + " did not become healthy (" + e.getMessage() + "). Last lines of "
          + process.logFile() + ":\n" + process.tail(30), e);
    }
  }

  /**
   * {@code HOPTRACE_SERVICE_HEAP} (384m) for the services; the collector has its own,
   * {@code HOPTRACE_COLLECTOR_HEAP} (768m): it holds batches of records and rows for a second or two, and
   * at 384m G1 spent a third of its CPU copying them and marking (docs/benchmarks.md).
   */
  String heap() {
    return spec.name().equals("collector") ? config.env().string("HOPTRACE_COLLECTOR_HEAP", "768m")
        : config.env().string("HOPTRACE_SERVICE_HEAP", "384m");
  }

  @Override
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(20));
    }
  }

  @Override
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  @Override
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  @Override
  public List<PortClaim> ports() {
    return spec.ports();
  }

  @Override
  public List<String> addresses() {
    return spec.addresses();
  }
}
