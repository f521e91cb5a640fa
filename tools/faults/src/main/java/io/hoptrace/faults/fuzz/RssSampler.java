package io.hoptrace.faults.fuzz;

import io.hoptrace.faults.probe.Rss;
import io.hoptrace.launcher.JvmInstance;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Samples the resident set size of the services every 100 ms and keeps each one's peak. */
public final class RssSampler {
  private final Map<String, JvmInstance> services;
  private final Map<String, Long> peakKib = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public RssSampler(Map<String, JvmInstance> services) {
    this.services = Map.copyOf(services);
    this.thread = new Thread(this::loop, "rss-sampler");
    thread.setDaemon(true);
  }

  public RssSampler start() {
    thread.start();
    return this;
  }

  /** Stops sampling; the peaks by service name, in MiB. */
  public Map<String, Long> stop() throws InterruptedException {
    running = false;
    thread.join();
    sample();
    Map<String, Long> mib = new TreeMap<>();
    peakKib.forEach((k, v) -> mib.put(k, v / 1024));
    return mib;
  }

  private void loop() {
    while (running) {
      sample();
      try {
        Thread.sleep(100); // the sampling period
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    services.forEach((name, p) -> {
      long kib = Rss.kib(p.pid());
      if (kib > 0) {
        peakKib.merge(name, kib, Math::max);
      }
    });
  }
}
