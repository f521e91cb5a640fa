package io.hoptrace.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * async-profiler (Maven Central {@code tools.profiler:async-profiler}) attached to a running JVM with
 * {@code jcmd <pid> JVMTI.agent_load}, so only the measured phase is sampled (not start-up or the
 * warm-up). CPU samples with thread names, written as collapsed stacks, then summarised by where the
 * time goes in the collector or in a service.
 */
final class Profiler {
  private final Path library;
  private final Path jcmd;

  private Profiler(Path library, Path jcmd) {
    this.library = library;
    this.jcmd = jcmd;
  }

  /** The profiler, with its native library unpacked into {@code dir}; fails when it is not on the class path. */
  static Profiler unpack(Path dir) {
    try (InputStream in = Profiler.class.getClassLoader().getResourceAsStream("linux-x64/libasyncProfiler.so")) {
      if (in == null) {
        throw new IllegalStateException("async-profiler is not on the class path (bench module dependency tools.profiler:async-profiler)");
      }
      Files.createDirectories(dir);
      Path lib = dir.resolve("libasyncProfiler.so");
      Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      if (!Files.isExecutable(jcmd)) {
        throw new IllegalStateException(jcmd + " not found: profiling needs a full JDK");
      }
      return new Profiler(lib, jcmd);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  void start(long pid) {
    agent(pid, "start,event=cpu,interval=1ms,threads");
  }

  /** Stops sampling and writes the collapsed stacks (one line per stack, thread name first). */
  Path stop(long pid, Path out) {
    agent(pid, "stop,collapsed,threads,file=" + out.toAbsolutePath());
    return out;
  }

  private void agent(long pid, String options) {
    try {
      // quoted: jcmd would otherwise read "start,event=cpu" as a named argument "start,event"
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "JVMTI.agent_load", library.toString(), "\"" + options + "\"")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.contains("error") || out.contains("ERROR")) {
        throw new IllegalStateException("async-profiler '" + options + "' on pid " + pid + " failed: " + out.strip());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Where the collector's CPU went, by thread and (for shared threads) by frames. */
  record Summary(long samples, Map<String, Double> percentByCategory, List<String> topSelfFrames) {
    String format() {
      StringBuilder b = new StringBuilder();
      percentByCategory.forEach((c, p) -> b.append(String.format(Locale.ROOT, "%5.1f %%  %s%n", p, c)));
      return b.toString();
    }
  }

  private record Category(String name, Pattern thread, Pattern frames) {}

  private static final List<Category> COLLECTOR = List.of(
      new Category("JIT compiler threads", Pattern.compile("C[12] CompilerThre"), null),
      new Category("GC and VM threads", Pattern.compile("G1 |GC Thread|VM Thread|VM Periodic|Parallel|PSYoung|Service Thread"), null),
      new Category("receiver: HTTP (Vert.x/Netty event loops)", Pattern.compile("vert\\.x-eventloop"), null),
      new Category("receiver: validate + split (worker threads)", Pattern.compile("vert\\.x-worker|vert\\.x-internal"), null),
      new Category("receiver: Kafka producer send (compression, accumulator)", Pattern.compile("kafka-publisher"), null),
      new Category("receiver: Kafka producer network thread", Pattern.compile("kafka-producer-network"), null),
      new Category("ingester: Kafka consumer (fetch, decompress, records)", Pattern.compile("ingester-"), null),
      new Category("ingester: OTLP -> RowBinary conversion", Pattern.compile("ingest-worker"), Pattern.compile("io/hoptrace/collector/ingester/rows/")),
      new Category("ingester: ClickHouse insert (HTTP client)", Pattern.compile("ingest-worker"), Pattern.compile("com/clickhouse|org/apache/hc")),
      new Category("ingester: other worker work", Pattern.compile("ingest-worker"), null));

  /**
   * Where a service's CPU went. A sample on an event loop or worker belongs to the innermost frame of a
   * known owner: telemetry (the OpenTelemetry SDK and API, the Vert.x tracer, our instrumentation in
   * {@code io/hoptrace/telemetry}) or the service's own code; Vert.x, Netty and the JDK around them
   * own what is left. Walking from the leaf matters: every handler runs inside
   * {@code HttpTelemetry.handle -> ctx.next()}, so "a telemetry frame anywhere in the stack" would be
   * every request.
   */
  static final Pattern TELEMETRY_FRAME = Pattern.compile("^(io/opentelemetry/|io/vertx/tracing/opentelemetry/|io/hoptrace/telemetry/)");
  private static final Pattern SERVICE_FRAME = Pattern.compile("^(io/hoptrace/|ch/qos/logback/|org/slf4j/)");

  private static final Pattern JIT_THREAD = Pattern.compile("C[12] CompilerThre");
  private static final Pattern GC_VM_THREAD = Pattern.compile("G1 |GC Thread|VM Thread|VM Periodic|Service Thread");
  private static final Pattern TELEMETRY_THREAD =
      Pattern.compile("BatchSpanProcessor|BatchLogRecordProcessor|OkHttp|PeriodicMetricReader|JFR|otel", Pattern.CASE_INSENSITIVE);

  static String serviceCategory(String thread, String[] frames) {
    if (JIT_THREAD.matcher(thread).find()) {
      return "JIT compiler threads";
    }
    if (GC_VM_THREAD.matcher(thread).find()) {
      return "GC and VM threads";
    }
    if (TELEMETRY_THREAD.matcher(thread).find()) {
      return "telemetry threads (batch processors, OTLP client, metric reader)";
    }
    if (thread.contains("kafka")) {
      return "Kafka client threads";
    }
    if (!thread.contains("vert.x-")) {
      return "other threads";
    }
    for (int i = frames.length - 1; i > 0; i--) {
      if (TELEMETRY_FRAME.matcher(frames[i]).find()) {
        return "event loops and workers: telemetry (tracer, spans, metrics, log appender)";
      }
      if (SERVICE_FRAME.matcher(frames[i]).find()) {
        return "event loops and workers: the service (handlers, JSON, logging)";
      }
    }
    return "event loops and workers: Vert.x, Netty, JDK";
  }

  /** A service's profile by {@link #serviceCategory}, and the innermost telemetry frames of the telemetry samples on its own threads. */
  static Summary summariseService(Path collapsed) {
    Map<String, Long> byCat = new LinkedHashMap<>();
    Map<String, Long> telemetryFrames = new LinkedHashMap<>();
    long total = 0;
    for (Sample sample : samples(collapsed)) {
      String[] frames = sample.frames();
      total += sample.count();
      String cat = serviceCategory(frames[0], frames);
      byCat.merge(cat, sample.count(), Long::sum);
      if (cat.startsWith("event loops and workers: telemetry")) {
        for (int i = frames.length - 1; i > 0; i--) {
          if (TELEMETRY_FRAME.matcher(frames[i]).find()) {
            telemetryFrames.merge(frames[i], sample.count(), Long::sum);
            break;
          }
        }
      }
    }
    return new Summary(total, percents(byCat, total), top(telemetryFrames, total));
  }

  /** One line of collapsed stacks: the frames (the thread first), joined as written, and how many samples had them. */
  private record Sample(String stack, String[] frames, long count) {}

  private static List<Sample> samples(Path collapsed) {
    List<Sample> samples = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(collapsed)) {
        int sp = line.lastIndexOf(' ');
        if (line.isBlank()) {
          continue;
        }
        try {
          String stack = line.substring(0, sp);
          samples.add(new Sample(stack, stack.split(";"), Long.parseLong(line.substring(sp + 1))));
        } catch (RuntimeException e) {
          throw new IllegalStateException(collapsed + ": not a line of collapsed stacks (frames;frames count): " + line, e);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return samples;
  }

  private static Map<String, Double> percents(Map<String, Long> byCat, long total) {
    long t = Math.max(1, total);
    return byCat.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() * 100.0 / t, (a, b) -> a, LinkedHashMap::new));
  }

  private static List<String> top(Map<String, Long> frames, long total) {
    long t = Math.max(1, total);
    List<String> top = new ArrayList<>();
    frames.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
        .forEach(e -> top.add(String.format(Locale.ROOT, "%5.1f %%  %s", e.getValue() * 100.0 / t, e.getKey())));
    return top;
  }

  /** Summarises collapsed stacks written with {@code threads} (the first frame is {@code [thread name tid=...]}). */
  static Summary summarise(Path collapsed) {
    Map<String, Long> byCat = new LinkedHashMap<>();
    Map<String, Long> self = new LinkedHashMap<>();
    long total = 0;
    for (Sample sample : samples(collapsed)) {
      String thread = sample.frames()[0];
      total += sample.count();
      String cat = "other";
      for (Category c : COLLECTOR) {
        if (c.thread.matcher(thread).find() && (c.frames == null || c.frames.matcher(sample.stack()).find())) {
          cat = c.name;
          break;
        }
      }
      byCat.merge(cat, sample.count(), Long::sum);
      self.merge(sample.frames()[sample.frames().length - 1], sample.count(), Long::sum);
    }
    return new Summary(total, percents(byCat, total), top(self, total));
  }
}
