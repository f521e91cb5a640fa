package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.StockLedger;
import java.util.Collections;
import java.util.Map;

/**
 * The products readers see ({@code GET /list-products}, the stock gauge): replaced whole by the
 * keeper's thread, read from any thread.
 */
final class StockView {
  private volatile Map<String, Product> products = Map.of();

  /** Products by id, sorted. */
  Map<String, Product> products() {
    return products;
  }

  /** Shows what the ledger has committed. */
  void showCommitted(StockLedger ledger) {
    products = Collections.unmodifiableMap(ledger.products());
  }

  /**
   * Shows the open transaction's changes too: just before its commit, so that no one told
   * CONFIRMED can read the stock from before (read your writes); {@link #showCommitted} puts it
   * back when the commit fails.
   */
  void showAsDecided(StockLedger ledger) {
    products = Collections.unmodifiableMap(ledger.productsAsDecided());
  }
}
