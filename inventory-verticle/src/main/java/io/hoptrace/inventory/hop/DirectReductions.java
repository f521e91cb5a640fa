package io.hoptrace.inventory.hop;

import static io.hoptrace.inventory.hop.StockAttributes.PRODUCT_ID;
import static io.hoptrace.inventory.hop.StockAttributes.QUANTITY;
import static io.hoptrace.inventory.hop.StockAttributes.REQUEST_ID;
import static io.hoptrace.inventory.hop.StockAttributes.SOURCE;

import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The direct reductions ({@code POST /reduce-stock}) queued for the keeper's thread, each with its
 * INTERNAL {@code stock transaction} span from the queue to the commit, so the wait and the Kafka
 * transaction show in the trace. Every reduction submitted completes exactly once: with its
 * transaction ({@link Batch}), by {@link #failAll} when the keeper starts over, or by {@link #close}
 * (at once, when submitted after it).
 */
final class DirectReductions {
  private final Tracer tracer;
  private final ArrayDeque<DirectReduction> waiting = new ArrayDeque<>();
  private boolean closed; // guarded by this

  DirectReductions(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Queues a reduction; its span is a child of the caller's current span (the HTTP SERVER span). */
  CompletableFuture<Decision> submit(ReductionRequest request) {
    Span span = tracer.spanBuilder("stock transaction").setSpanKind(SpanKind.INTERNAL)
        .setAttribute(REQUEST_ID, request.requestId())
        .setAttribute(PRODUCT_ID, request.productId())
        .setAttribute(QUANTITY, (long) request.quantity())
        .setAttribute(SOURCE, InventoryMetrics.HTTP)
        .startSpan();
    DirectReduction r = new DirectReduction(request, span, new CompletableFuture<>());
    boolean queued;
    synchronized (this) {
      queued = !closed && waiting.add(r);
    }
    if (!queued) {
      r.fail("inventory is stopping"); // closed between the keeper's readiness check and here
    }
    return r.result();
  }

  /** Takes every waiting reduction, oldest first; the caller completes each. */
  List<DirectReduction> drain() {
    synchronized (this) {
      List<DirectReduction> all = new ArrayList<>(waiting);
      waiting.clear();
      return all;
    }
  }

  /** Fails every waiting reduction; later ones queue as before. */
  void failAll(String why) {
    drain().forEach(r -> r.fail(why));
  }

  /** Fails every waiting reduction and every later one. */
  void close(String why) {
    synchronized (this) {
      closed = true;
    }
    failAll(why);
  }
}
