package io.hoptrace.bench;

import java.util.concurrent.atomic.AtomicLong;

/** Samples a process's VmRSS every {@code intervalMillis} on a daemon thread; keeps the peak. */
final class RssSampler implements AutoCloseable {
  private final long pid;
  private final AtomicLong peak = new AtomicLong(-1);
  private final AtomicLong samples = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  RssSampler(long pid, long intervalMillis) {
    this.pid = pid;
    this.thread = new Thread(() -> {
      while (running) {
        sample();
        try {
          Thread.sleep(intervalMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rss-sampler-" + pid);
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    long rss = ProcStat.rssBytes(pid);
    if (rss > 0) {
      peak.accumulateAndGet(rss, Math::max);
      samples.incrementAndGet();
    }
  }

  long peakBytes() {
    sample();
    return peak.get();
  }

  long samples() {
    return samples.get();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
