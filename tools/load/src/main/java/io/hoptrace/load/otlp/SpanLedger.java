package io.hoptrace.load.otlp;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Exactly which spans a load generator sent and which of them the receiver acknowledged (HTTP 200),
 * by span id; how every other request was finally answered, and how many attempts it took. Thread-safe.
 */
public final class SpanLedger {
  private final Set<Long> sent = new HashSet<>();
  private final Set<Long> acknowledged = new HashSet<>();
  private final Map<String, Long> requestsByAnswer = new TreeMap<>();
  private final Map<String, Long> attemptsByAnswer = new TreeMap<>();
  private final java.util.List<byte[]> samples = new java.util.ArrayList<>();
  private final int maxSamples;
  private long requests;
  private long ackedRequests;
  private long attempts;
  private long ackedAfterRetry;

  public SpanLedger() {
    this(0);
  }

  /** @param maxSamples how many acknowledged requests to keep whole ({@link #samples}), for comparing stored content */
  public SpanLedger(int maxSamples) {
    this.maxSamples = maxSamples;
  }

  /** Keeps an acknowledged request whole, up to the ledger's bound (the caller decides which: a sample). */
  public synchronized void sample(byte[] request) {
    if (samples.size() < maxSamples) {
      samples.add(request);
    }
  }

  /** The acknowledged requests kept whole. */
  public synchronized java.util.List<byte[]> samples() {
    return java.util.List.copyOf(samples);
  }

  /** One request's outcome: {@code answer} is the HTTP status ("200", "503") or "no answer". */
  public void record(long[] spanIds, String answer) {
    record(spanIds, java.util.List.of(answer));
  }

  /** One request's outcome: {@code answers} of its attempts in order, the last one final. */
  public synchronized void record(long[] spanIds, java.util.List<String> answers) {
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("a request has at least one attempt");
    }
    for (String a : answers) {
      attemptsByAnswer.merge(a, 1L, Long::sum);
    }
    record(spanIds, answers.get(answers.size() - 1), answers.size());
  }

  private void record(long[] spanIds, String answer, int attempts) {
    requests++;
    this.attempts += attempts;
    if ("200".equals(answer) && attempts > 1) {
      ackedAfterRetry++;
    }
    for (long id : spanIds) {
      sent.add(id);
    }
    if ("200".equals(answer)) {
      ackedRequests++;
      for (long id : spanIds) {
        acknowledged.add(id);
      }
    }
    requestsByAnswer.merge(answer, 1L, Long::sum);
  }

  public synchronized long requests() {
    return requests;
  }

  public synchronized long acknowledgedRequests() {
    return ackedRequests;
  }

  /** Attempts made, first ones and retries. */
  public synchronized long attempts() {
    return attempts;
  }

  /** Requests acknowledged only by a retry: their earlier attempts failed, possibly after reaching Kafka. */
  public synchronized long acknowledgedAfterRetry() {
    return ackedAfterRetry;
  }

  public synchronized Set<Long> sent() {
    return Set.copyOf(sent);
  }

  public synchronized Set<Long> acknowledged() {
    return Set.copyOf(acknowledged);
  }

  /** Requests per answer ("200", "503", "429", "no answer", ...). */
  public synchronized Map<String, Long> requestsByAnswer() {
    return new TreeMap<>(requestsByAnswer);
  }

  /** Attempts per answer, retries included. */
  public synchronized Map<String, Long> attemptsByAnswer() {
    return new TreeMap<>(attemptsByAnswer);
  }

  public synchronized long answered(String status) {
    return requestsByAnswer.getOrDefault(status, 0L);
  }
}
