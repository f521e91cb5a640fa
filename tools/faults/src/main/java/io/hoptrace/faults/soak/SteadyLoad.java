package io.hoptrace.faults.soak;

import io.hoptrace.load.Pacer;
import io.hoptrace.load.otlp.SpanFactory;
import io.hoptrace.load.otlp.TelemetryLoad;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's steady, open-loop load: orders of one product over order's HTTP API and OTLP trace
 * exports to the receiver, each at its own rate ({@link Pacer}), every answer counted and its latency
 * recorded. It keeps counts, not ids, so it can run for hours in a bounded heap.
 */
final class SteadyLoad {
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
  private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");

  final LatencyWindow orderLatency = new LatencyWindow();
  final LatencyWindow exportLatency = new LatencyWindow();
  final Map<String, LongAdder> orderAnswers = new ConcurrentHashMap<>();
  final Map<String, LongAdder> exportAnswers = new ConcurrentHashMap<>();
  /** Orders answered 202 (being confirmed): looked up at the end. */
  final Set<String> pending = new ConcurrentSkipListSet<>();
  final LongAdder spansAcknowledged = new LongAdder();
  final LongAdder spansSent = new LongAdder();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final URI orderUri;
  private final URI exportUri;
  private final byte[] orderBody;
  private final SpanFactory spans;
  private final String serviceName;
  private Pacer orders;
  private Pacer telemetry;

  SteadyLoad(String orderUrl, String otlpHttpUrl, String productId, String runId) {
    this.orderUri = URI.create(orderUrl + "/order-product");
    this.exportUri = URI.create(otlpHttpUrl + "/v1/traces");
    this.orderBody = ("{\"productId\":\"" + productId + "\",\"quantity\":1}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    this.spans = new SpanFactory(runId);
    this.serviceName = "bench-" + runId;
  }

  /** The service name of the telemetry this load sends: the accounting counts only its spans. */
  String serviceName() {
    return serviceName;
  }

  /** Closed loop, {@code clients} at once, for {@code duration}: orders confirmed per second, the capacity the soak takes half of. */
  double measureOrderCapacity(int clients, Duration duration) throws InterruptedException {
    LongAdder confirmed = new LongAdder();
    long end = System.nanoTime() + duration.toNanos();
    Thread[] threads = new Thread[clients];
    for (int i = 0; i < clients; i++) {
      threads[i] = new Thread(() -> {
        while (System.nanoTime() < end) {
          if ("CONFIRMED".equals(order(false))) {
            confirmed.increment();
          }
        }
      }, "soak-capacity-" + i);
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return confirmed.sum() / (double) duration.toSeconds();
  }

  /**
   * Closed loop, {@code connections} at once: {@code requests} OTLP exports as fast as the receiver takes
   * them (seeds from {@code firstSeed}). The caller measures how fast they reach ClickHouse.
   */
  void burst(int connections, long requests, long firstSeed) throws InterruptedException {
    java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
    Thread[] threads = new Thread[connections];
    for (int i = 0; i < connections; i++) {
      threads[i] = new Thread(() -> {
        for (long n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
          export(firstSeed + n);
        }
      }, "soak-burst-" + i);
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  void startOrders(double ordersPerSecond) {
    orders = new Pacer("soak-orders", ordersPerSecond, 64, tick -> order(true)).start();
  }

  void startTelemetry(double requestsPerSecond, long firstSeed) {
    telemetry = new Pacer("soak-telemetry", requestsPerSecond, 16, tick -> export(firstSeed + tick)).start();
  }

  void stop() throws InterruptedException {
    if (orders != null) {
      orders.stop(Duration.ofMinutes(2));
    }
    if (telemetry != null) {
      telemetry.stop(Duration.ofMinutes(2));
    }
  }

  long skipped() {
    return (orders == null ? 0 : orders.skipped()) + (telemetry == null ? 0 : telemetry.skipped());
  }

  /** Places one order; the status it was answered with (CONFIRMED, REJECTED, PENDING...) or the HTTP failure. */
  String order(boolean record) {
    long t0 = System.nanoTime();
    String answer;
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(orderUri).timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(orderBody)).build(), HttpResponse.BodyHandlers.ofString());
      Matcher status = STATUS.matcher(r.body());
      answer = r.statusCode() + (status.find() ? " " + status.group(1) : "");
      if (record && r.statusCode() == 202) {
        Matcher id = ORDER_ID.matcher(r.body());
        if (id.find()) {
          pending.add(id.group(1));
        }
      }
    } catch (IOException e) {
      answer = "no answer";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = "no answer";
    }
    if (record) {
      orderLatency.record(System.nanoTime() - t0);
      orderAnswers.computeIfAbsent(answer, k -> new LongAdder()).increment();
    }
    int space = answer.indexOf(' ');
    return space < 0 ? answer : answer.substring(space + 1);
  }

  private void export(long seed) {
    byte[] body = spans.request(seed, SoakPlan.TRACES_PER_REQUEST, System.currentTimeMillis() * 1_000_000L);
    int count = SoakPlan.TRACES_PER_REQUEST * 5;
    if (seed % 1000 == 0 && TelemetryLoad.spanIds(body).length != count) {
      throw new IllegalStateException("a request of " + SoakPlan.TRACES_PER_REQUEST + " traces should hold " + count + " spans");
    }
    long t0 = System.nanoTime();
    String answer;
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(exportUri).timeout(Duration.ofSeconds(60)).header("content-type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
      answer = Integer.toString(r.statusCode());
    } catch (IOException e) {
      answer = "no answer";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = "no answer";
    }
    exportLatency.record(System.nanoTime() - t0);
    exportAnswers.computeIfAbsent(answer, k -> new LongAdder()).increment();
    spansSent.add(count);
    if ("200".equals(answer)) {
      spansAcknowledged.add(count);
    }
  }

  static Map<String, Long> counts(Map<String, LongAdder> answers) {
    Map<String, Long> out = new java.util.TreeMap<>();
    answers.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
