package io.hoptrace.faults.soak;

import io.hoptrace.faults.probe.KafkaOffsets;
import io.hoptrace.faults.probe.Rss;
import io.hoptrace.process.Poll;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code sampleEvery}: the RSS of every process, the ingester's lag, the latencies of the interval;
 * every {@code fullGcEvery}: a full collection in each of our JVMs ({@code jcmd GC.run}) and the heap left
 * after it, read from the JVM's own GC log. On a thread of its own, so the load's threads only send.
 */
final class Sampler implements AutoCloseable {
  /** A JVM of ours: its pid and the file its {@code -Xlog:gc} writes to. */
  record Jvm(long pid, Path gcLog) {}

  /** One sample. Values in MiB; lag in records; latencies in ms. */
  record Sample(double seconds, Map<String, Long> rssMiB, Map<String, Long> heapAfterFullGcMiB, long lag,
      LatencyWindow.Stats orders, LatencyWindow.Stats exports) {}

  private final Map<String, Long> processes;
  private final Map<String, Jvm> jvms;
  private final String bootstrapServers;
  private final String group;
  private final String topic;
  private final SteadyLoad load;
  private final SoakPlan plan;
  private final List<Sample> samples = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "soak-sampler");
    t.setDaemon(true);
    return t;
  });
  private long started;
  private long lastFullGc;

  /**
   * @param processes every process to sample the RSS of, by name (ours, Kafka, ClickHouse)
   * @param jvms ours, by name: asked for full collections
   */
  Sampler(Map<String, Long> processes, Map<String, Jvm> jvms, String bootstrapServers, String group, String topic, SteadyLoad load, SoakPlan plan) {
    this.processes = Map.copyOf(processes);
    this.jvms = Map.copyOf(jvms);
    this.bootstrapServers = bootstrapServers;
    this.group = group;
    this.topic = topic;
    this.load = load;
    this.plan = plan;
  }

  void start() {
    started = System.nanoTime();
    lastFullGc = started;
    timer.scheduleAtFixedRate(this::sampleQuietly, 0, plan.sampleEvery().toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  synchronized Sample last() {
    return samples.isEmpty() ? null : samples.get(samples.size() - 1);
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(1, TimeUnit.MINUTES);
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (Exception e) {
      synchronized (this) {
        problems.add(String.format("%.0f s: %s", (System.nanoTime() - started) / 1e9, e));
      }
    }
  }

  private void sample() throws Exception {
    long now = System.nanoTime();
    Map<String, Long> heap = new LinkedHashMap<>();
    if (now - lastFullGc >= plan.fullGcEvery().toNanos()) {
      lastFullGc = now;
      for (Map.Entry<String, Jvm> j : jvms.entrySet()) {
        long after = fullGc(j.getValue());
        if (after >= 0) {
          heap.put(j.getKey(), after);
        }
      }
    }
    Map<String, Long> rss = new LinkedHashMap<>();
    processes.forEach((name, pid) -> rss.put(name, Math.max(-1, Rss.kib(pid) / 1024)));
    long lag = KafkaOffsets.behind(bootstrapServers, group, topic);
    Sample s = new Sample((now - started) / 1e9, rss, heap, lag, load.orderLatency.drain(), load.exportLatency.drain());
    synchronized (this) {
      samples.add(s);
    }
  }

  /** Asks the JVM for a full collection and returns the heap in use after it (MiB), from its GC log; -1 when that fails. */
  private long fullGc(Jvm jvm) throws IOException, InterruptedException {
    long before = GcLog.read(jvm.gcLog()).stream().filter(GcLog.Pause::full).count();
    Process p = new ProcessBuilder("jcmd", Long.toString(jvm.pid()), "GC.run").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      return -1;
    }
    try {
      // jcmd returns once the collection ran; the log line may trail it by a moment
      Poll.until("a full GC in " + jvm.gcLog(), Duration.ofSeconds(10), Duration.ofMillis(50),
          () -> GcLog.read(jvm.gcLog()).stream().filter(GcLog.Pause::full).count() > before);
    } catch (Poll.TimeoutException e) {
      return -1;
    }
    List<GcLog.Pause> full = GcLog.read(jvm.gcLog()).stream().filter(GcLog.Pause::full).toList();
    return full.get(full.size() - 1).afterMiB();
  }
}
