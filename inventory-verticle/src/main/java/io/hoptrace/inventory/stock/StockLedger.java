package io.hoptrace.inventory.stock;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stock levels and the decision already taken per request id, with the rules: a request id is
 * decided once (a redelivered or replayed request gets the first answer again and changes nothing),
 * stock never goes below zero. Changes are staged between {@link #begin} and {@link #commit} so
 * that they can be dropped ({@link #rollback}) when the Kafka transaction that records them aborts.
 * Not thread-safe: one thread (the stock keeper) owns it.
 */
public final class StockLedger {
  private final Map<String, Product> products = new HashMap<>();
  private final Map<String, Decision> decisions = new HashMap<>();
  private final Map<String, Product> stagedProducts = new LinkedHashMap<>();
  private final Map<String, Decision> stagedDecisions = new LinkedHashMap<>();

  /**
   * The outcome of one request.
   *
   * @param duplicate the request id had been decided before: this is that decision, nothing changed
   * @param changedProduct the product with its new stock, or null when stock did not change
   * @param stored whether the decision is now final for its request id (to be written to the decisions topic)
   */
  public record Outcome(Decision decision, boolean duplicate, Product changedProduct, boolean stored) {}

  // ---- rebuild from the state topics

  public void restore(Product p) {
    products.put(p.productId(), p);
  }

  public void forgetProduct(String productId) {
    products.remove(productId);
  }

  public void restore(Decision d) {
    decisions.put(d.requestId(), d);
  }

  public void forgetDecision(String requestId) {
    decisions.remove(requestId);
  }

  // ---- staged changes

  public void begin() {
    if (!stagedProducts.isEmpty() || !stagedDecisions.isEmpty()) {
      throw new IllegalStateException("begin() with changes staged: commit or roll back first");
    }
  }

  /** Stages a product as it is to be seeded (or corrected). */
  public void put(Product p) {
    stagedProducts.put(p.productId(), p);
  }

  /** Decides a request from Kafka: every decision, refusals included, is final for its request id. */
  public Outcome decide(ReductionRequest r, Instant now) {
    return decide(r, now, true);
  }

  /**
   * @param keepRefusal whether a refusal is final for the request id (Kafka path) or leaves the id
   *     free for a later try (direct HTTP calls: a 409 now, maybe a success after a refill)
   */
  public Outcome decide(ReductionRequest r, Instant now, boolean keepRefusal) {
    Decision before = lookupDecision(r.requestId());
    if (before != null) {
      return new Outcome(before, true, null, false);
    }
    Product product = lookupProduct(r.productId());
    Decision d;
    Product changed = null;
    if (product == null) {
      d = new Decision(r.requestId(), r.productId(), r.quantity(), Decision.Status.REJECTED, "unknown_product",
          "no product '" + r.productId() + "'", 0, now);
    } else if (r.quantity() < 1) {
      d = new Decision(r.requestId(), r.productId(), r.quantity(), Decision.Status.REJECTED, "invalid_request",
          "quantity must be at least 1, got " + r.quantity(), product.stock(), now);
    } else if (product.stock() < r.quantity()) {
      d = new Decision(r.requestId(), r.productId(), r.quantity(), Decision.Status.REJECTED, "insufficient_stock",
          "only " + product.stock() + " of '" + r.productId() + "' left, " + r.quantity() + " requested", product.stock(), now);
    } else {
      changed = product.withStock(product.stock() - r.quantity());
      stagedProducts.put(changed.productId(), changed);
      d = new Decision(r.requestId(), r.productId(), r.quantity(), Decision.Status.CONFIRMED, null, null, changed.stock(), now);
    }
    boolean store = d.confirmed() || keepRefusal;
    if (store) {
      stagedDecisions.put(d.requestId(), d);
    }
    return new Outcome(d, false, changed, store);
  }

  /**
   * Decides a restock: adds its quantity to the product, or adds the product when it is missing and
   * the request says {@code create}. Every decision, refusals included, is final for its request id,
   * so a replayed or repeated restock changes nothing twice.
   */
  public Outcome restock(RestockRequest r, Instant now) {
    Decision before = lookupDecision(r.requestId());
    if (before != null) {
      return new Outcome(before, true, null, false);
    }
    Product product = lookupProduct(r.productId());
    int stock = product == null ? 0 : product.stock();
    Decision d;
    Product changed = null;
    if (r.quantity() < 1 || r.quantity() > RestockRequest.MAX_QUANTITY) {
      d = refused(r, "invalid_request", "quantity must be between 1 and " + RestockRequest.MAX_QUANTITY + ", got " + r.quantity(), stock, now);
    } else if (product == null && !r.create()) {
      d = refused(r, "unknown_product", "no product '" + r.productId() + "'; restock with \"create\": true to add it", 0, now);
    } else if ((long) stock + r.quantity() > RestockRequest.MAX_STOCK) {
      d = refused(r, "stock_limit", "'" + r.productId() + "' holds " + stock + "; adding " + r.quantity()
          + " would pass the limit of " + RestockRequest.MAX_STOCK, stock, now);
    } else {
      changed = product == null
          ? new Product(r.productId(), r.name(), r.price(), r.quantity())
          : product.withStock(stock + r.quantity());
      stagedProducts.put(changed.productId(), changed);
      d = new Decision(r.requestId(), r.productId(), r.quantity(), Decision.Status.CONFIRMED, null, null, changed.stock(), now);
    }
    stagedDecisions.put(d.requestId(), d);
    return new Outcome(d, false, changed, true);
  }

  private static Decision refused(RestockRequest r, String reason, String message, int stock, Instant now) {
    return new Decision(r.requestId(), r.productId(), r.quantity(), Decision.Status.REJECTED, reason, message, stock, now);
  }

  /** Records a refusal of a request that could not even be read (its id is known). */
  public Outcome reject(String requestId, String reason, String message, Instant now) {
    Decision before = lookupDecision(requestId);
    if (before != null) {
      return new Outcome(before, true, null, false);
    }
    Decision d = new Decision(requestId, "", 0, Decision.Status.REJECTED, reason, message, 0, now);
    stagedDecisions.put(requestId, d);
    return new Outcome(d, false, null, true);
  }

  public void commit() {
    products.putAll(stagedProducts);
    decisions.putAll(stagedDecisions);
    stagedProducts.clear();
    stagedDecisions.clear();
  }

  /** Forgets everything, committed and staged: the owner lost its partitions (their state is rebuilt on assignment). */
  public void clear() {
    rollback();
    products.clear();
    decisions.clear();
  }

  public void rollback() {
    stagedProducts.clear();
    stagedDecisions.clear();
  }

  /** Committed products by id, sorted. */
  public Map<String, Product> products() {
    return new TreeMap<>(products);
  }

  /** Products by id, sorted, with what the open transaction changed. */
  public Map<String, Product> productsAsDecided() {
    Map<String, Product> all = new TreeMap<>(products);
    all.putAll(stagedProducts);
    return all;
  }

  public boolean hasProducts() {
    return !products.isEmpty();
  }

  public int decisionCount() {
    return decisions.size();
  }

  private Decision lookupDecision(String id) {
    Decision d = stagedDecisions.get(id);
    return d != null ? d : decisions.get(id);
  }

  private Product lookupProduct(String id) {
    Product p = stagedProducts.get(id);
    return p != null ? p : products.get(id);
  }
}
