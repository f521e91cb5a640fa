package io.hoptrace.collector.receiver;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiver's memory bound: bytes of requests accepted but not yet acknowledged by Kafka. A
 * request that does not fit is refused (429 / RESOURCE_EXHAUSTED) and counted, never queued.
 */
public final class InFlightBytes {
  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  public InFlightBytes(long limit) {
    this.limit = limit;
  }

  /** Reserves {@code bytes}; false (and counted) when that would exceed the limit. */
  public boolean tryAcquire(long bytes) {
    while (true) {
      long u = used.get();
      if (u + bytes > limit) {
        refused.incrementAndGet();
        return false;
      }
      if (used.compareAndSet(u, u + bytes)) {
        return true;
      }
    }
  }

  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  public long used() {
    return used.get();
  }

  public long limit() {
    return limit;
  }

  /** Requests refused so far because the bound was reached. */
  public long refused() {
    return refused.get();
  }
}
