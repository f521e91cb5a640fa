package io.hoptrace.inventory.hop;

import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.StockLedger;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The products readers see ({@code GET /list-products}, the stock gauge): the products of the
 * partitions this instance owns as its ledger has them (replaced whole by the keeper's thread), over
 * every product as last committed in the stock topic (followed, for the partitions other instances
 * own). Read from any thread.
 */
final class StockView {
  private volatile Map<String, Product> own = Map.of();
  private final Map<String, Product> followed = new ConcurrentHashMap<>();
  private volatile Set<Integer> owned = Set.of();
  private volatile Partitioning partitioning;

  /** Every product by id, sorted: the owned ones exact, the others as last committed. */
  Map<String, Product> products() {
    if (followed.isEmpty()) {
      return own;
    }
    Map<String, Product> all = new TreeMap<>(followed);
    all.putAll(own);
    return Collections.unmodifiableMap(all);
  }

  /** The products of the partitions owned, by id, sorted. */
  Map<String, Product> ownProducts() {
    return own;
  }

  /** Whether this instance owns the partition of a product (it decides its requests). */
  boolean owns(String productId) {
    Partitioning p = partitioning;
    return p != null && owned.contains(p.of(productId));
  }

  Set<Integer> ownedPartitions() {
    return owned;
  }

  void owning(Partitioning p, Set<Integer> partitions) {
    partitioning = p;
    owned = Set.copyOf(partitions);
  }

  /** A committed record of the stock topic (from any partition). */
  void follow(String productId, Product p) {
    if (p == null) {
      followed.remove(productId);
    } else {
      followed.put(productId, p);
    }
  }

  /** Shows what the ledger has committed. */
  void showCommitted(StockLedger ledger) {
    own = Collections.unmodifiableMap(ledger.products());
  }

  /**
   * Shows the open transaction's changes too: just before its commit, so that no one told
   * CONFIRMED can read the stock from before (read your writes); {@link #showCommitted} puts it
   * back when the commit fails.
   */
  void showAsDecided(StockLedger ledger) {
    own = Collections.unmodifiableMap(ledger.productsAsDecided());
  }
}
