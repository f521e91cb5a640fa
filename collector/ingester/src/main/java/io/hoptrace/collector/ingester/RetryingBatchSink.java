package io.hoptrace.collector.ingester;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a failed write with exponential backoff and jitter, without end: a batch is never dropped
 * (the Jaeger ingester's failure mode), only cancelled when its partition is revoked or the ingester
 * stops. No thread waits during the backoff. While a batch retries, its partition fills up and is
 * paused by the consumer loop; other partitions go on.
 */
public final class RetryingBatchSink implements BatchSink {
  private static final Logger log = LoggerFactory.getLogger(RetryingBatchSink.class);

  private final BatchSink delegate;
  private final ScheduledExecutorService scheduler;
  private final Duration initial;
  private final Duration max;
  private final Consumer<Batch> onRetry;

  public RetryingBatchSink(BatchSink delegate, ScheduledExecutorService scheduler, Duration initial, Duration max, Consumer<Batch> onRetry) {
    this.delegate = delegate;
    this.scheduler = scheduler;
    this.initial = initial;
    this.max = max;
    this.onRetry = onRetry;
  }

  @Override
  public CompletableFuture<Result> write(Batch batch) {
    CompletableFuture<Result> result = new CompletableFuture<>();
    attempt(batch, 1, result);
    return result;
  }

  private void attempt(Batch batch, int n, CompletableFuture<Result> result) {
    if (batch.cancelled()) {
      result.completeExceptionally(new CancellationException(batch + " cancelled"));
      return;
    }
    delegate.write(batch).whenComplete((r, e) -> {
      if (e == null) {
        if (n > 1) {
          log.info("{} written after {} attempts", batch, n);
        }
        result.complete(r);
        return;
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof CancellationException || batch.cancelled()) {
        result.completeExceptionally(new CancellationException(batch + " cancelled"));
        return;
      }
      long delay = delayMillis(n);
      log.warn("writing {} failed (attempt {}): {}; retrying in {} ms. Its partition stays paused and nothing past it is committed."
          + " Check that ClickHouse is reachable.", batch, n, cause.toString(), delay);
      onRetry.accept(batch);
      try {
        scheduler.schedule(() -> attempt(batch, n + 1, result), delay, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        result.completeExceptionally(new CancellationException("ingester stopping"));
      }
    });
  }

  long delayMillis(int attempt) {
    double exp = initial.toMillis() * Math.pow(2, Math.min(20, attempt - 1));
    long capped = (long) Math.min(max.toMillis(), exp);
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }
}
