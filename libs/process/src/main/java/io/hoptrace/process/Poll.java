package io.hoptrace.process;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes: the one way we wait for anything. */
public final class Poll {
  private Poll() {}

  /**
   * Calls {@code condition} every {@code interval} until it returns true; exceptions count as "not
   * yet" and the last one is reported if the deadline passes.
   */
  public static void until(String what, Duration timeout, Duration interval, Callable<Boolean> condition)
      throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
        last = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException(what + ": interrupted", e);
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        String reason = last == null ? "" : " (last error: " + last + ")";
        throw new TimeoutException("timed out after " + timeout.toMillis() + " ms waiting for " + what + reason, last);
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException(what + ": interrupted", e);
      }
    }
  }

  /**
   * A back-off of a loop on its own thread: waits {@code pause}, or less once {@code stopping} holds
   * (checked every 50 ms) or the thread is interrupted, so a stop never waits out a back-off.
   */
  public static void pause(Duration pause, java.util.function.BooleanSupplier stopping) {
    long until = System.nanoTime() + pause.toNanos();
    while (!stopping.getAsBoolean() && System.nanoTime() < until) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Unchecked: a deadline passed. The message says what was awaited and the last error seen. */
  public static final class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TimeoutException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
