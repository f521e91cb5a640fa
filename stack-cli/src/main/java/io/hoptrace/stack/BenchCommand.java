package io.hoptrace.stack;

import io.hoptrace.process.ChildJvm;
import io.hoptrace.process.ChildProcess;
import io.hoptrace.process.Env;
import io.hoptrace.process.Poll;
import io.hoptrace.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./stack bench ingest [--spans N] [--connections N]}: starts a private Kafka, ClickHouse and
 * collector (fresh data, free ports, so a running {@code ./stack up} is untouched), runs the bench
 * module's {@code IngestBench} against them, prints its report and stops everything.
 */
final class BenchCommand {
  private final StackConfig config;
  private final Console console;

  BenchCommand(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
  }

  int run(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("ingest")) {
      throw new IllegalArgumentException("usage: ./stack bench ingest [--spans N] [--connections N]");
    }
    Map<String, String> bench = new HashMap<>();
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("--spans") || a.equals("--connections")) && i + 1 < args.size()) {
        bench.put(a.equals("--spans") ? "BENCH_SPANS" : "BENCH_CONNECTIONS", args.get(++i));
      } else if (!a.equals("-v") && !a.equals("--verbose")) {
        throw new IllegalArgumentException("unknown option '" + a + "'; usage: ./stack bench ingest [--spans N] [--connections N]");
      }
    }
    Path jar = config.home().resolve("bench/target/bench.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build first (./stack builds what is stale)");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("hoptrace-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("KAFKA_BOOTSTRAP_SERVERS");
    env.remove("CLICKHOUSE_URL");
    env.put("HOPTRACE_DATA_DIR", dir.toString());
    env.put("HOPTRACE_HOME", config.home().toString());
    for (String port : List.of("HOPTRACE_KAFKA_PORT", "HOPTRACE_KAFKA_CONTROLLER_PORT", "HOPTRACE_CLICKHOUSE_HTTP_PORT",
        "HOPTRACE_CLICKHOUSE_TCP_PORT", "COLLECTOR_OTLP_GRPC_PORT", "COLLECTOR_OTLP_HTTP_PORT", "COLLECTOR_HEALTH_PORT",
        "COLLECTOR_QUERY_PORT", "ORDER_HTTP_PORT", "INVENTORY_HTTP_PORT")) {
      env.put(port, Integer.toString(Ports.freePort()));
    }
    env.putIfAbsent("COLLECTOR_SELF_METRICS_INTERVAL", "0"); // measure the pipeline, not our own telemetry
    env.putIfAbsent("COLLECTOR_ROLES", "receiver,ingester"); // nor the explorer's alert queries
    StackConfig benchConfig = StackConfig.fromEnv(Env.of(env));
    // Kafka, ClickHouse and the collector only: the services would only add noise to the measurement
    ServiceComponent collector = new ServiceComponent(Services.collector(benchConfig.env()), benchConfig);
    List<Component> components = List.of(new KafkaComponent(benchConfig, console), new ClickHouseComponent(benchConfig, console), collector);
    java.util.ArrayList<Component> started = new java.util.ArrayList<>();
    console.step("starting a private Kafka, ClickHouse and collector in " + dir);
    try {
      for (Component c : components) {
        console.step("starting " + c.name());
        c.start();
        started.add(0, c);
      }
      long collectorPid = collector.pid();
      Path report = dir.resolve("report.txt");
      bench.put("BENCH_OTLP_URL", "http://127.0.0.1:" + env.get("COLLECTOR_OTLP_HTTP_PORT"));
      bench.put("BENCH_CLICKHOUSE_URL", benchConfig.clickHouse().url());
      bench.put("BENCH_DATABASE", benchConfig.clickHouse().database());
      bench.put("BENCH_COLLECTOR_PID", Long.toString(collectorPid));
      bench.put("BENCH_REPORT", report.toString());
      console.step("sending spans (collector pid " + collectorPid + "; log " + dir.resolve("logs/bench.log") + ")");
      ChildProcess run = ChildJvm.builder("bench")
          .classpath(jar)
          .classpath(List.of(jar.getParent().resolve("lib").resolve("*").toString()))
          .mainClass("io.hoptrace.bench.IngestBench")
          .jvmArg("-Xmx1g")
          .env(bench)
          .logFile(dir.resolve("logs/bench.log"))
          .build()
          .start();
      Poll.until("the benchmark", Duration.ofMinutes(30), Duration.ofMillis(500), () -> !run.isAlive());
      int code = run.stop(Duration.ZERO);
      if (code != 0 || !Files.exists(report)) {
        console.error("the benchmark failed (exit " + code + "):\n" + run.tail(30));
        return 1;
      }
      console.line("");
      console.line(Files.readString(report).strip());
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (Component c : started) {
        console.step("stopping " + c.name());
        c.stop();
      }
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
