package io.hoptrace.faults.accounting;

import java.util.Set;

/**
 * The telemetry accounting's arithmetic, apart from Kafka and ClickHouse: what was sent and
 * acknowledged (span ids) against what is stored (distinct span ids, rows and distinct
 * {@code (TraceId, SpanId)} pairs).
 *
 * @param lost acknowledged spans not stored (must be 0)
 * @param phantom stored spans never sent (must be 0)
 * @param duplicated rows beyond one per (TraceId, SpanId) (must be 0)
 * @param storedUnacknowledged spans sent, not acknowledged, stored anyway (allowed: a 503 whose record reached Kafka)
 */
public record SpanBalance(long sent, long acknowledged, long stored, long rows, long distinctPairs,
    long lost, long phantom, long duplicated, long storedUnacknowledged) {

  /**
   * @param sent span ids of every request sent
   * @param acknowledged span ids of the requests answered 200 (a subset of {@code sent})
   * @param stored distinct span ids stored
   * @param rows rows stored
   * @param distinctPairs distinct {@code (TraceId, SpanId)} stored
   */
  public static SpanBalance of(Set<Long> sent, Set<Long> acknowledged, Set<Long> stored, long rows, long distinctPairs) {
    if (!sent.containsAll(acknowledged)) {
      throw new IllegalArgumentException("acknowledged spans that were never sent: the ledger is broken");
    }
    long lost = acknowledged.stream().filter(id -> !stored.contains(id)).count();
    long phantom = stored.stream().filter(id -> !sent.contains(id)).count();
    long storedUnacked = stored.stream().filter(id -> sent.contains(id) && !acknowledged.contains(id)).count();
    // a span id stored under two trace ids is two pairs: a duplicate too (the same span id, written twice)
    long duplicated = (rows - distinctPairs) + (distinctPairs - stored.size());
    return new SpanBalance(sent.size(), acknowledged.size(), stored.size(), rows, distinctPairs, lost, phantom, duplicated, storedUnacked);
  }

  public boolean nothingLost() {
    return lost == 0;
  }

  public boolean nothingTwice() {
    return duplicated == 0;
  }

  public boolean nothingInvented() {
    return phantom == 0;
  }

  public boolean exact() {
    return nothingLost() && nothingTwice() && nothingInvented();
  }
}
