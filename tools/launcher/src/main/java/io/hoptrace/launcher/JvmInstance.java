package io.hoptrace.launcher;

import io.hoptrace.process.ChildJvm;
import io.hoptrace.process.ChildProcess;
import io.hoptrace.process.Poll;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A collector process (whole or one role) or a service, run from its module's packaged jar (with
 * its dependencies in {@code lib/} beside it) in a JVM of its own, exactly the same for {@code
 * ./stack up}, the benchmarks and the fault suite. Healthy when its health URL answers 200; can be
 * killed ({@code kill -9}) and started again with the same ports and environment. Closing it stops it
 * and takes it out of its stack.
 */
public final class JvmInstance implements Instance, AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /** How a role runs: its jar (relative to the repository), main class and arguments. */
  private record Launch(String jar, String mainClass, List<String> args) {}

  private final InstanceId id;
  private final Path home;
  private final Launch launch;
  private final String heap;
  private final List<String> javaOpts;
  private final Map<Port, Integer> ports;
  private final Map<String, String> env;
  private final Path logFile;
  private volatile ChildProcess process;
  private volatile Runnable onClose = () -> { };
  private int starts;

  JvmInstance(InstanceId id, LaunchConfig config, Map<Port, Integer> ports, Map<String, String> env) {
    this.id = id;
    this.home = config.home();
    this.launch = launch(id.role());
    this.heap = config.heap(id.role());
    this.javaOpts = javaOpts(config, id.role());
    this.ports = Map.copyOf(ports);
    this.env = Map.copyOf(env);
    this.logFile = config.logDir().resolve(id.name() + ".log");
  }

  private static Launch launch(Role role) {
    String collector = "collector/app/target/collector.jar";
    String collectorMain = "io.hoptrace.collector.CollectorMain";
    return switch (role) {
      case COLLECTOR -> new Launch(collector, collectorMain, List.of());
      case RECEIVER, INGESTER, QUERY -> new Launch(collector, collectorMain, List.of("--roles", role.id()));
      case INVENTORY -> new Launch("inventory-verticle/target/inventory-verticle.jar", "io.hoptrace.inventory.InventoryMain", List.of());
      case ORDER -> new Launch("order-verticle/target/order-verticle.jar", "io.hoptrace.order.OrderMain", List.of());
      default -> throw new IllegalArgumentException(role.id() + " does not run from a jar of ours");
    };
  }

  /**
   * Extra JVM options after ours (so they win), e.g. a profiler agent or another GC:
   * {@code HOPTRACE_SERVICE_JAVA_OPTS} for every process, {@code HOPTRACE_<ROLE>_JAVA_OPTS} for one role's.
   */
  private static List<String> javaOpts(LaunchConfig config, Role role) {
    List<String> opts = new ArrayList<>();
    for (String var : List.of("HOPTRACE_SERVICE_JAVA_OPTS", "HOPTRACE_" + role.id().toUpperCase(Locale.ROOT) + "_JAVA_OPTS")) {
      for (String opt : config.env().string(var, "").trim().split("\\s+")) {
        if (!opt.isEmpty()) {
          opts.add(opt);
        }
      }
    }
    return opts;
  }

  @Override
  public InstanceId id() {
    return id;
  }

  /** Its main address: OTLP/HTTP for a receiving collector, the API for a service, the explorer for query, health otherwise. */
  public String url() {
    return switch (id.role()) {
      case COLLECTOR, RECEIVER -> local(Port.OTLP_HTTP);
      case QUERY -> local(Port.QUERY);
      case INVENTORY -> local(Port.INVENTORY_HTTP);
      case ORDER -> local(Port.ORDER_HTTP);
      default -> healthUrl();
    };
  }

  /** {@code http://127.0.0.1:<port>} of one of its ports. */
  public String local(Port port) {
    Integer p = ports.get(port);
    if (p == null) {
      throw new IllegalStateException(name() + " binds no " + port.what() + " port");
    }
    return "http://127.0.0.1:" + p;
  }

  public String healthUrl() {
    return id.role().isCollector() ? local(Port.HEALTH) + "/" : url() + "/health";
  }

  /** Its JVM heap ({@code -Xmx}). */
  public String heap() {
    return heap;
  }

  /** The environment it runs with (besides what it inherits). */
  public Map<String, String> env() {
    return env;
  }

  public Path logFile() {
    return logFile;
  }

  /** How many times it was started (1: never restarted). */
  public int starts() {
    return starts;
  }

  @Override
  public synchronized void start() {
    Path jar = home.resolve(launch.jar());
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build first (./stack builds what is stale; or mvn package -DskipTests)");
    }
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name() + " already runs (pid " + process.pid() + ")");
    }
    starts++;
    ChildJvm.Builder jvm = ChildJvm.builder(name())
        .classpath(jar)
        .classpath(List.of(jar.getParent().resolve("lib").resolve("*").toString()))
        .mainClass(launch.mainClass())
        .args(launch.args())
        .jvmArg("-Xmx" + heap)
        .jvmArg("-XX:+UseG1GC")
        .jvmArg("-Dhoptrace.component=" + name());
    javaOpts.forEach(jvm::jvmArg);
    process = jvm.env(env).logFile(logFile).workingDir(home).build().start();
    awaitHealthy(START_TIMEOUT);
  }

  /** Waits until its health URL answers 200; fails early, with its log's last lines, when the process exits. */
  public void awaitHealthy(Duration timeout) {
    ChildProcess p = process;
    if (p == null) {
      throw new IllegalStateException(name() + " was never started");
    }
    try {
      Poll.until(name() + " health at " + healthUrl(), timeout, Duration.ofMillis(200), () -> {
        if (!p.isAlive()) {
          throw new IllegalStateException(name() + " exited");
        }
        return health() == 200;
      });
    } catch (Poll.TimeoutException e) {
      p.stop(Duration.ofSeconds(10));
      throw new IllegalStateException(name() + " did not become healthy (" + e.getMessage() + "). Last lines of " + logFile + ":\n"
          + p.tail(30), e);
    }
  }

  /** The status code its health URL answers (a collector says 503 while ClickHouse or Kafka is down), -1 when none. */
  public int health() {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(healthUrl()).toURL().openConnection();
      c.setConnectTimeout(2_000);
      c.setReadTimeout(3_000);
      try {
        return c.getResponseCode();
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public boolean isHealthy() {
    return health() == 200;
  }

  @Override
  public void stop() {
    ChildProcess p = process;
    if (p != null) {
      p.stop(Duration.ofSeconds(20));
    }
  }

  /** Stops it and takes it out of its stack. */
  @Override
  public void close() {
    stop();
    onClose.run();
  }

  void onClose(Runnable r) {
    this.onClose = r;
  }

  @Override
  public void kill() {
    ChildProcess p = process;
    if (p != null) {
      p.kill();
    }
  }

  @Override
  public boolean isAlive() {
    ChildProcess p = process;
    return p != null && p.isAlive();
  }

  @Override
  public long pid() {
    ChildProcess p = process;
    return p == null ? -1 : p.pid();
  }

  /** The last lines of its output, for error messages. */
  public String tail(int lines) {
    ChildProcess p = process;
    return p == null ? "(not started)" : p.tail(lines);
  }

  @Override
  public Map<Port, Integer> ports() {
    return new LinkedHashMap<>(ports);
  }

  @Override
  public List<String> addresses() {
    return switch (id.role()) {
      case COLLECTOR -> List.of("OTLP/gRPC        127.0.0.1:" + ports.get(Port.OTLP_GRPC),
          "OTLP/HTTP        " + local(Port.OTLP_HTTP) + "  (POST /v1/traces, /v1/metrics, /v1/logs)",
          "collector health " + healthUrl(),
          "trace explorer   " + local(Port.QUERY) + "/");
      case RECEIVER -> List.of("OTLP/gRPC        127.0.0.1:" + ports.get(Port.OTLP_GRPC),
          "OTLP/HTTP        " + local(Port.OTLP_HTTP) + "  (POST /v1/traces, /v1/metrics, /v1/logs)",
          "receiver health  " + healthUrl());
      case INGESTER -> List.of("ingester health  " + healthUrl());
      case QUERY -> List.of("trace explorer   " + local(Port.QUERY) + "/", "query health     " + healthUrl());
      default -> List.of(String.format(Locale.ROOT, "%-16s %s  (OpenAPI + Swagger UI: /docs)", name() + " API", url()));
    };
  }
}
