package io.hoptrace.collector.ingester;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a systemic failure loud: an attempt that fails with an {@link InsertError.Kind#SYSTEMIC}
 * error marks its partition stalled in {@link Stalls} (health 503, the stalled gauge, an error log);
 * the next attempt that succeeds, or the batch being cancelled, clears it. Sits inside the retry
 * decorator, so it sees every attempt; retrying is not its job.
 */
public final class StallReportingBatchSink implements BatchSink {
  private static final Logger log = LoggerFactory.getLogger(StallReportingBatchSink.class);

  private final BatchSink delegate;
  private final Stalls stalls;

  public StallReportingBatchSink(BatchSink delegate, Stalls stalls) {
    this.delegate = delegate;
    this.stalls = stalls;
  }

  @Override
  public CompletableFuture<Result> write(Batch batch) {
    return delegate.write(batch).whenComplete((r, e) -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof InsertFailedException f && f.error().kind() == InsertError.Kind.SYSTEMIC && !batch.cancelled()) {
        if (stalls.stalled(batch, f.table(), f.error())) {
          log.error("ingestion of {} partition {} STALLED on {}: {}. Nothing is dead-lettered and nothing past it is committed;"
              + " Kafka holds the backlog and the write is retried with back-off until ClickHouse is fixed (health answers 503 meanwhile)",
              batch.topic(), batch.partition(), f.table(), f.error());
        }
        return;
      }
      if (e == null || batch.cancelled()) {
        Stalls.Stall ended = stalls.resumed(batch);
        if (ended != null) {
          log.info("ingestion of {} resumed after a stall of {} on {} ({})", ended.partition(),
              Duration.between(ended.since(), Instant.now()).withNanos(0), ended.table(), ended.error().codeText());
        }
      }
    });
  }
}
