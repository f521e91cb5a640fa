package io.hoptrace.load.otlp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Sends OTLP/HTTP protobuf export requests over {@code connections} keep-alive connections (one
 * thread each), either as fast as the receiver answers (closed loop) or on a schedule (a fixed
 * request rate, each connection sending the next due request as soon as it is free). Counts answers
 * by status; only 200 counts as sent.
 */
public final class OtlpSender {
  /** What was sent: requests and spans answered 200, answers by status, wall time. */
  public record Result(long requests, long spans, Map<Integer, Long> statuses, long refused, double seconds, long failures) {
    public double spansPerSecond() {
      return spans / seconds;
    }
  }

  private final URI uri;
  private final int connections;
  private final HttpClient http;

  public OtlpSender(String otlpBaseUrl, int connections) {
    this.uri = URI.create(otlpBaseUrl + "/v1/traces");
    this.connections = connections;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newFixedThreadPool(2, r -> {
          Thread t = new Thread(r, "otlp-sender-io");
          t.setDaemon(true);
          return t;
        })).build();
  }

  /**
   * Sends requests {@code 1..count} ({@code body.apply(seq)}) with {@code spans.apply(seq)} spans each.
   *
   * @param requestsPerSecond 0 for as fast as possible; otherwise request {@code k} is due at {@code k / rate} seconds
   * @param retryRefused resend after 429/503 (closed-loop throughput runs) or count the refusal and move on (burst)
   */
  public Result send(long count, LongFunction<byte[]> body, LongFunction<Integer> spans, double requestsPerSecond, boolean retryRefused) throws Exception {
    AtomicLong next = new AtomicLong(1);
    AtomicLong okRequests = new AtomicLong();
    AtomicLong okSpans = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(connections, r -> {
      Thread t = new Thread(r, "otlp-sender");
      t.setDaemon(true);
      return t;
    });
    long t0 = System.nanoTime();
    try {
      Future<?>[] done = new Future<?>[connections];
      for (int c = 0; c < connections; c++) {
        done[c] = pool.submit(() -> {
          long seq;
          while ((seq = next.getAndIncrement()) <= count) {
            if (requestsPerSecond > 0) {
              long due = t0 + (long) ((seq - 1) / requestsPerSecond * 1e9);
              long wait = due - System.nanoTime();
              if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
              }
            }
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body.apply(seq))).build();
            for (int attempt = 0; ; attempt++) {
              int status;
              try {
                status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
              } catch (java.io.IOException e) {
                status = -1;
              }
              statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
              if (status == 200) {
                okRequests.incrementAndGet();
                okSpans.addAndGet(spans.apply(seq));
                break;
              }
              if (status == 429 || status == 503 || status == -1) {
                refused.incrementAndGet();
                if (retryRefused && attempt < 100) {
                  Thread.sleep(100);
                  continue;
                }
              }
              failures.incrementAndGet();
              break;
            }
          }
          return null;
        });
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<Integer, Long> byStatus = new TreeMap<>();
    statuses.forEach((k, v) -> byStatus.put(k, v.get()));
    return new Result(okRequests.get(), okSpans.get(), byStatus, refused.get(), seconds, failures.get());
  }
}
