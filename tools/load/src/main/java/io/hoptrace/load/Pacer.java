package io.hoptrace.load;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Open-loop load: calls a task at a steady rate (call {@code n} is due at {@code n / rate} seconds)
 * with at most {@code concurrency} calls in flight. A tick that finds them all busy is skipped and
 * counted, so a stalled target slows the load down instead of queueing it without bound.
 */
public final class Pacer {
  private final long periodNanos;
  private final Semaphore slots;
  private final ExecutorService workers;
  private final LongConsumer task;
  private final Thread ticker;
  private final AtomicLong ticks = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private volatile boolean running = true;

  /** @param task called with 0, 1, 2, ... (the tick's number) on one of {@code concurrency} threads */
  public Pacer(String name, double perSecond, int concurrency, LongConsumer task) {
    if (!(perSecond > 0) || concurrency < 1) {
      throw new IllegalArgumentException("a pacer needs a positive rate and at least one slot, not " + perSecond + "/s, " + concurrency);
    }
    this.periodNanos = (long) (1e9 / perSecond);
    this.slots = new Semaphore(concurrency);
    this.workers = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, name + "-worker");
      t.setDaemon(true);
      return t;
    });
    this.task = task;
    this.ticker = new Thread(this::tick, name);
    ticker.setDaemon(true);
  }

  public Pacer start() {
    ticker.start();
    return this;
  }

  /** Ticks so far, each a call or a skip. */
  public long ticks() {
    return ticks.get();
  }

  /** Ticks skipped because every slot was still busy. */
  public long skipped() {
    return skipped.get();
  }

  /** Stops ticking and waits up to {@code inFlight} for the calls in flight; throws when they do not end. */
  public void stop(Duration inFlight) throws InterruptedException {
    running = false;
    ticker.join();
    workers.shutdown();
    if (!workers.awaitTermination(inFlight.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("calls still in flight " + inFlight.toSeconds() + " s after the load stopped");
    }
  }

  private void tick() {
    long next = System.nanoTime();
    while (running) {
      long n = ticks.getAndIncrement();
      if (slots.tryAcquire()) {
        workers.execute(() -> {
          try {
            task.accept(n);
          } finally {
            slots.release();
          }
        });
      } else {
        skipped.incrementAndGet();
      }
      next += periodNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not waiting for anything
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
