package io.hoptrace.order.hop;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Runs the Kafka side of the order service (state readers, request publisher) while deployed. */
public final class OrderHopVerticle extends VerticleBase {
  private final OrderStateReaders readers;
  private final StockReductionPublisher publisher;

  public OrderHopVerticle(OrderStateReaders readers, StockReductionPublisher publisher) {
    this.readers = readers;
    this.publisher = publisher;
  }

  @Override
  public Future<?> start() {
    readers.start(vertx); // rebuilds in the background, on this verticle's event loop; /health says when it has caught up
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return readers.close().eventually(() -> vertx.executeBlocking(() -> {
      publisher.close(); // blocking: finishes the transaction in progress
      return null;
    }));
  }
}
