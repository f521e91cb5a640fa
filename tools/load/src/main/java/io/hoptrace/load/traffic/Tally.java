package io.hoptrace.load.traffic;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load sent and what came back, counted from many threads. Every order request sent ends
 * in exactly one {@link Outcome} once answered (or not); restocks are counted apart.
 */
public final class Tally {
  /** How an order request ended. */
  public enum Outcome {
    /** 201, the order is CONFIRMED */
    CONFIRMED,
    /** 201, the order is REJECTED (out of stock) */
    REJECTED,
    /** 202, not final yet */
    PENDING,
    /** an invalid request refused with a 4xx, as it must be */
    INVALID,
    /** anything else: 5xx, no answer, a valid order refused, an invalid one accepted */
    ERROR
  }

  private final LongAdder sent = new LongAdder();
  private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder restocksSent = new LongAdder();
  private final LongAdder restocksApplied = new LongAdder();
  private final Map<String, LongAdder> restockErrors = new ConcurrentHashMap<>();
  private final LongAdder skipped = new LongAdder();
  private final Latencies latencies = new Latencies();

  public Tally() {
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, new LongAdder());
    }
  }

  void sent() {
    sent.increment();
  }

  /** An order request ended; {@code micros} its latency, recorded for answered valid orders; {@code error} the label of an ERROR. */
  void ended(Outcome o, long micros, String error) {
    outcomes.get(o).increment();
    if (o == Outcome.ERROR) {
      errors.computeIfAbsent(error, k -> new LongAdder()).increment();
    } else if (o != Outcome.INVALID) {
      latencies.record(micros);
    }
  }

  void restockSent() {
    restocksSent.increment();
  }

  void restockEnded(String error) {
    if (error == null) {
      restocksApplied.increment();
    } else {
      restockErrors.computeIfAbsent(error, k -> new LongAdder()).increment();
    }
  }

  void skipped() {
    skipped.increment();
  }

  public long sentCount() {
    return sent.sum();
  }

  public long count(Outcome o) {
    return outcomes.get(o).sum();
  }

  /** Order requests that ended, whatever the outcome. */
  public long ended() {
    return outcomes.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public Map<String, Long> errors() {
    return sorted(errors);
  }

  public long restocksSent() {
    return restocksSent.sum();
  }

  public long restocksApplied() {
    return restocksApplied.sum();
  }

  public Map<String, Long> restockErrors() {
    return sorted(restockErrors);
  }

  /** Ticks that found the maximum of requests in flight and sent nothing. */
  public long skippedCount() {
    return skipped.sum();
  }

  public Latencies latencies() {
    return latencies;
  }

  private static Map<String, Long> sorted(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
