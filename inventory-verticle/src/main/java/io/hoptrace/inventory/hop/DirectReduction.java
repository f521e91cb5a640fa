package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.CompletableFuture;

/**
 * A direct (HTTP) reduction waiting for the keeper's thread, with its {@code stock transaction}
 * span. Completes once, on the keeper's thread (or on the submitter's when the queue is closed); the
 * first outcome wins. The span ends before the caller hears the outcome, so it always ends inside
 * its parent.
 */
record DirectReduction(ReductionRequest request, Span span, CompletableFuture<Decision> result) {

  void succeed(Decision d) {
    if (!result.isDone()) {
      span.end();
      result.complete(d);
    }
  }

  void fail(String why) {
    if (!result.isDone()) {
      span.setStatus(StatusCode.ERROR, why);
      span.end();
      result.completeExceptionally(new StockKeeper.Unavailable(why));
    }
  }
}
