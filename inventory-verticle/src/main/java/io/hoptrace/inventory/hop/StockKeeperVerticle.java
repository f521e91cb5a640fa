package io.hoptrace.inventory.hop;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Runs the {@link StockKeeper} thread for as long as the verticle is deployed. */
public final class StockKeeperVerticle extends VerticleBase {
  private final StockKeeper keeper;

  public StockKeeperVerticle(StockKeeper keeper) {
    this.keeper = keeper;
  }

  @Override
  public Future<?> start() {
    keeper.start(); // rebuilds and connects in the background; /health says when it is ready
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    // joining the thread blocks: off the event loop
    return vertx.executeBlocking(() -> {
      keeper.close();
      return null;
    });
  }
}
