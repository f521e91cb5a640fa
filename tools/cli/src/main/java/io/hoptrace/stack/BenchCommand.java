package io.hoptrace.stack;

import io.hoptrace.bench.BenchStack;
import io.hoptrace.bench.Benchmarks;
import io.hoptrace.config.Env;
import io.hoptrace.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./stack bench [ingest|burst|overhead|latency ...] [options]}: starts a private Kafka and
 * ClickHouse (fresh data in a temporary folder, free ports, so a running {@code ./stack up} is
 * untouched), runs the benchmarks of the bench module on them (each starts the collector and the
 * services it needs, exactly as {@code ./stack} starts them), writes the report and stops everything.
 */
final class BenchCommand {
  static final String USAGE = "usage: ./stack bench [ingest|burst|overhead|latency ...] [--repeats N] [--spans N] [--connections N] "
      + "[--profile] [--quiet-wait 5m] [--out FILE] [--keep]";

  private final StackConfig config;
  private final Console console;

  BenchCommand(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
  }

  int run(List<String> args) {
    List<String> names = new ArrayList<>();
    int repeats = 5;
    long spans = 600_000;
    int connections = 4;
    boolean profile = false;
    boolean keep = false;
    Path out = null;
    java.time.Duration quietWait = java.time.Duration.ofMinutes(5);
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--repeats" -> repeats = positive(a, value(args, ++i));
        case "--spans" -> spans = positive(a, value(args, ++i));
        case "--connections" -> connections = positive(a, value(args, ++i));
        case "--out" -> out = Path.of(value(args, ++i)).toAbsolutePath();
        case "--profile" -> profile = true;
        case "--quiet-wait" -> quietWait = Env.parseDuration(value(args, ++i));
        case "--keep" -> keep = true;
        case "-v", "--verbose" -> { }
        case "all" -> names.addAll(Benchmarks.ALL);
        default -> {
          if (!Benchmarks.ALL.contains(a)) {
            throw new IllegalArgumentException("unknown benchmark or option '" + a + "'; " + USAGE);
          }
          names.add(a);
        }
      }
    }
    boolean all = names.isEmpty() || names.containsAll(Benchmarks.ALL);
    if (names.isEmpty()) {
      names.addAll(Benchmarks.ALL);
    }
    if (out == null) {
      // the full run is the published report; a partial run must not overwrite it
      out = all ? config.home().resolve("BENCHMARKS.md") : config.dataDir().resolve("bench").resolve("BENCHMARKS-" + String.join("-", names) + ".md");
    }
    Path dir;
    try {
      Files.createDirectories(out.getParent());
      dir = Files.createTempDirectory("hoptrace-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("KAFKA_BOOTSTRAP_SERVERS");
    env.remove("CLICKHOUSE_URL");
    env.put("HOPTRACE_DATA_DIR", dir.toString());
    env.put("HOPTRACE_HOME", config.home().toString());
    for (String port : List.of("HOPTRACE_KAFKA_PORT", "HOPTRACE_KAFKA_CONTROLLER_PORT", "HOPTRACE_CLICKHOUSE_HTTP_PORT", "HOPTRACE_CLICKHOUSE_TCP_PORT")) {
      env.put(port, Integer.toString(Ports.freePort()));
    }
    StackConfig benchConfig = StackConfig.fromEnv(Env.of(env));
    KafkaComponent kafka = new KafkaComponent(benchConfig, console);
    ClickHouseComponent clickhouse = new ClickHouseComponent(benchConfig, console);
    List<Component> started = new ArrayList<>();
    console.step("starting a private Kafka and ClickHouse in " + dir);
    try {
      kafka.start();
      started.add(0, kafka);
      clickhouse.start();
      started.add(0, clickhouse);
      PrivateStack stack = new PrivateStack(env, dir, kafka, clickhouse);
      int batchRows = Env.of(env).integer("COLLECTOR_BATCH_ROWS", 20_000, 1, 1_000_000);
      String command = "./stack bench" + (args.isEmpty() ? "" : " " + String.join(" ", args));
      Benchmarks.run(stack, new Benchmarks.Options(names, spans, connections, repeats, profile, batchRows, out, command, quietWait), console::step);
      return 0;
    } catch (Exception e) {
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.toString(), e);
    } finally {
      for (Component c : started) {
        console.step("stopping " + c.name());
        c.stop();
      }
      if (keep) {
        console.step("kept " + dir + " (logs, profiles)");
      } else {
        delete(dir);
      }
    }
  }

  private static String value(List<String> args, int i) {
    if (i >= args.size()) {
      throw new IllegalArgumentException("option " + args.get(i - 1) + " needs a value; " + USAGE);
    }
    return args.get(i);
  }

  private static int positive(String option, String v) {
    try {
      int n = Integer.parseInt(v.replace("_", ""));
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a positive whole number, not '" + v + "'");
    }
  }

  /** Kafka and ClickHouse of this bench run; the collector and services start from their jars like under ./stack up. */
  private final class PrivateStack implements BenchStack {
    private final Map<String, String> env;
    private final Path dir;
    private final KafkaComponent kafka;
    private final ClickHouseComponent clickhouse;
    private final StackConfig config;

    PrivateStack(Map<String, String> env, Path dir, KafkaComponent kafka, ClickHouseComponent clickhouse) {
      this.env = env;
      this.dir = dir;
      this.kafka = kafka;
      this.clickhouse = clickhouse;
      this.config = StackConfig.fromEnv(Env.of(env));
    }

    @Override
    public String kafkaBootstrapServers() {
      return config.kafkaBootstrapServers();
    }

    @Override
    public String clickHouseUrl() {
      return config.clickHouse().url();
    }

    @Override
    public String database() {
      return config.clickHouse().database();
    }

    @Override
    public long kafkaPid() {
      return kafka.pid();
    }

    @Override
    public long clickHousePid() {
      return clickhouse.pid();
    }

    @Override
    public Path workDir() {
      return dir;
    }

    @Override
    public Service startCollector(Map<String, String> extra) {
      Map<String, String> e = new HashMap<>(env);
      for (String port : List.of("COLLECTOR_OTLP_GRPC_PORT", "COLLECTOR_OTLP_HTTP_PORT", "COLLECTOR_HEALTH_PORT", "COLLECTOR_QUERY_PORT")) {
        e.put(port, Integer.toString(Ports.freePort()));
      }
      Map<String, String> process = new LinkedHashMap<>();
      process.put("COLLECTOR_SELF_METRICS_INTERVAL", "0"); // measure the pipeline, not our own telemetry
      process.put("COLLECTOR_ROLES", "receiver,ingester"); // nor the explorer's alert queries
      process.putAll(extra);
      e.putAll(process);
      StackConfig c = StackConfig.fromEnv(Env.of(e));
      return start(io.hoptrace.stack.Services.collector(c.env()), c, process, "http://127.0.0.1:" + e.get("COLLECTOR_OTLP_HTTP_PORT"));
    }

    @Override
    public Services startServices(Service collector, Map<String, String> extra) {
      Map<String, String> e = new HashMap<>(env);
      e.put("INVENTORY_HTTP_PORT", Integer.toString(Ports.freePort()));
      e.put("ORDER_HTTP_PORT", Integer.toString(Ports.freePort()));
      e.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url());
      e.putAll(extra);
      StackConfig c = StackConfig.fromEnv(Env.of(e));
      Service inventory = start(io.hoptrace.stack.Services.inventory(c), c, extra, "http://127.0.0.1:" + e.get("INVENTORY_HTTP_PORT"));
      try {
        Service order = start(io.hoptrace.stack.Services.order(c), c, extra, "http://127.0.0.1:" + e.get("ORDER_HTTP_PORT"));
        return new Services(inventory, order);
      } catch (RuntimeException ex) {
        inventory.close();
        throw ex;
      }
    }

    private Service start(ServiceSpec spec, StackConfig c, Map<String, String> extra, String url) {
      ServiceSpec withExtra = new ServiceSpec(spec.name(), spec.jar(), spec.mainClass(), spec.ports(), spec.healthUrl(), spec.addresses(),
          cfg -> {
            Map<String, String> m = new HashMap<>(spec.env().apply(cfg));
            m.putAll(extra);
            return m;
          });
      ServiceComponent component = new ServiceComponent(withExtra, c);
      console.step("starting " + spec.name() + (extra.isEmpty() ? "" : " with " + extra));
      component.start();
      return new Service() {
        @Override
        public String name() {
          return spec.name();
        }

        @Override
        public long pid() {
          return component.pid();
        }

        @Override
        public String url() {
          return url;
        }

        @Override
        public void close() {
          component.stop();
        }
      };
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
