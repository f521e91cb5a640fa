package io.hoptrace.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Closed-loop order clients over many products: each client places {@code POST /order-product}
 * after {@code POST /order-product} for a time, cycling through every product from its own offset,
 * so all products (and the partitions they live in) get the same share of the orders.
 */
final class OrderClients {
  /**
   * One measurement: confirmed orders (with their latencies and per product), the orders that were
   * not confirmed, and the CPU each named process, this load generator and the whole machine used.
   */
  record Result(int clients, long orders, long failed, double seconds, double[] millis, String[] traceIds, long[] perProduct,
      Map<String, Double> cpu, double machineCpuSeconds) {
    double perSecond() {
      return orders / seconds;
    }

    /** Every {@code n}-th order's trace id ({@code count} at most, spread over the run); empty unless trace ids were kept. */
    List<String> sample(int count) {
      List<String> ids = new ArrayList<>();
      int step = Math.max(1, traceIds.length / Math.max(1, count));
      for (int i = 0; i < traceIds.length && ids.size() < count; i += step) {
        if (traceIds[i] != null) {
          ids.add(traceIds[i]);
        }
      }
      return ids;
    }

    /** The trace ids of the slowest {@code percent} % of the orders (at least one), slowest first. */
    List<String> slowest(double percent) {
      Integer[] order = new Integer[millis.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(millis[b], millis[a]));
      int count = Math.max(1, (int) Math.ceil(millis.length * percent / 100));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < Math.min(count, order.length); i++) {
        if (traceIds[order[i]] != null) {
          ids.add(traceIds[order[i]]);
        }
      }
      return ids;
    }

    /** Trace id → the client's latency of that order in ms. */
    Map<String, Double> latencyByTrace() {
      Map<String, Double> m = new java.util.HashMap<>();
      for (int i = 0; i < traceIds.length; i++) {
        if (traceIds[i] != null) {
          m.put(traceIds[i], millis[i]);
        }
      }
      return m;
    }
  }

  /** One confirmed order: its latency and, when kept, its trace id. */
  private record Timed(double millis, String traceId) {}

  /** Key of this JVM (the load generator) in {@link Result#cpu}. */
  static final String LOAD_GENERATOR = "load generator";

  private static final java.util.regex.Pattern TRACE_ID = java.util.regex.Pattern.compile("\"traceId\"\\s*:\\s*\"([0-9a-f]{32})\"");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final boolean keepTraceIds;

  /** @param keepTraceIds read each confirmed order's trace id from its answer (to look its spans up afterwards) */
  OrderClients(boolean keepTraceIds) {
    this.keepTraceIds = keepTraceIds;
  }

  /** {@code clients} threads, each placing one order after the other for {@code seconds}, at {@code orderUrl} ({@code .../order-product}). */
  Result run(String orderUrl, List<String> products, int clients, int seconds, Map<String, Long> pids) throws Exception {
    List<HttpRequest> requests = products.stream().map(p -> BenchStack.orderRequest(orderUrl, p)).toList();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicLong failed = new AtomicLong();
    AtomicLongArray perProduct = new AtomicLongArray(products.size());
    List<List<Timed>> perClient = new ArrayList<>();
    Map<String, Long> measured = new LinkedHashMap<>(pids);
    measured.put(LOAD_GENERATOR, ProcessHandle.current().pid());
    ProcStat.CpuMeter cpu = new ProcStat.CpuMeter(measured).start();
    long t0 = System.nanoTime();
    long end = t0 + Duration.ofSeconds(seconds).toNanos();
    try {
      List<Future<List<Timed>>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int offset = c;
        futures.add(pool.submit(() -> {
          List<Timed> times = new ArrayList<>(1024);
          for (long k = offset; System.nanoTime() < end; k++) {
            int product = (int) (k % requests.size());
            long s = System.nanoTime();
            HttpResponse<String> r;
            try {
              r = http.send(requests.get(product), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
              failed.incrementAndGet(); // a timeout or a refused connection: counted, not measured
              continue;
            }
            if (r.statusCode() != 201 || !r.body().contains("CONFIRMED")) {
              failed.incrementAndGet();
              continue;
            }
            double millis = (System.nanoTime() - s) / 1e6;
            String traceId = null;
            if (keepTraceIds) {
              java.util.regex.Matcher m = TRACE_ID.matcher(r.body());
              traceId = m.find() ? m.group(1) : null;
            }
            times.add(new Timed(millis, traceId));
            perProduct.incrementAndGet(product);
          }
          return times;
        }));
      }
      for (Future<List<Timed>> f : futures) {
        perClient.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    cpu.stop();
    Map<String, Double> used = new LinkedHashMap<>(cpu.used());
    used.put("others", cpu.others());
    List<Timed> all = perClient.stream().flatMap(List::stream).toList();
    double[] millis = all.stream().mapToDouble(Timed::millis).toArray();
    String[] traceIds = all.stream().map(Timed::traceId).toArray(String[]::new);
    long[] counts = new long[products.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = perProduct.get(i);
    }
    return new Result(clients, millis.length, failed.get(), elapsed, millis, traceIds, counts, used, cpu.machine());
  }
}
