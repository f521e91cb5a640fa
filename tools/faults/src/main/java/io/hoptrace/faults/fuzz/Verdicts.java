package io.hoptrace.faults.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answers of one fuzz run per target, and the ones that break the rule: bad input gets a 4xx (or
 * a 2xx when the damage left it valid, or a documented retryable 503/429), never another 5xx, never
 * no answer.
 */
public final class Verdicts {
  private final Map<String, Map<String, Long>> answers = new TreeMap<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<String, String> big = new java.util.LinkedHashMap<>();
  private long requests;

  /** @param answer "200", "400", "grpc-status 3", "no answer (...)" */
  public synchronized void record(String target, int index, Case c, String answer, boolean acceptable) {
    requests++;
    answers.computeIfAbsent(target, t -> new TreeMap<>()).merge(answer.startsWith("no answer") ? "no answer" : answer, 1L, Long::sum);
    if (index < 0) {
      big.put(target + ": " + c.kind(), answer);
    }
    if (!acceptable) {
      violations.add(target + " case #" + index + " (" + c.kind() + ", " + c.body().length + " bytes): " + answer);
    }
  }

  public synchronized long requests() {
    return requests;
  }

  public synchronized Map<String, Map<String, Long>> answers() {
    return answers;
  }

  /** The answer to each of the big inputs (sent once each), by target and kind. */
  public synchronized Map<String, String> bigAnswers() {
    return new java.util.LinkedHashMap<>(big);
  }

  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** HTTP: 2xx, a redirect (/docs to /docs/), 4xx, or the documented retryable 503. */
  public static boolean acceptableHttp(int status) {
    return status >= 200 && status < 400 || status >= 400 && status < 500 || status == 503;
  }

  /** The 503s the services document (their ApiError codes): anything else, even a 503, is a failure. */
  public static final java.util.Set<String> DOCUMENTED_SERVICE_503 = java.util.Set.of("kafka_unavailable", "not_ready", "inventory_unavailable");

  /** A service's answer: as {@link #acceptableHttp}, but a 503 only with a documented ApiError code. */
  public static boolean acceptableServiceHttp(int status, String errorCode) {
    return acceptableHttp(status) && (status != 503 || DOCUMENTED_SERVICE_503.contains(errorCode));
  }

  /** The {@code error} of an ApiError body, "" when the body is not one. */
  public static String errorCode(byte[] body) {
    try {
      return io.hoptrace.load.json.Json.object(new String(body, java.nio.charset.StandardCharsets.UTF_8)).string("error", "");
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * OTLP/HTTP while Kafka is up: as {@link #acceptableHttp} but without 503, the receiver's only
   * documented reason for it being Kafka; a 503 here would tell an exporter to retry bad input forever.
   */
  public static boolean acceptableOtlpHttp(int status) {
    return acceptableHttp(status) && status != 503;
  }

  /**
   * OTLP/gRPC while Kafka is up: OK, INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNIMPLEMENTED,
   * UNAUTHENTICATED; never UNKNOWN or INTERNAL, nor UNAVAILABLE (retry) for bad input.
   */
  public static boolean acceptableGrpc(String grpcStatus) {
    return grpcStatus != null && List.of("0", "3", "8", "12", "16").contains(grpcStatus);
  }
}
