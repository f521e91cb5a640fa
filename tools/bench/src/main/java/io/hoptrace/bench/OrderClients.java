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
  record Result(int clients, long orders, long failed, double seconds, double[] millis, long[] perProduct, Map<String, Double> cpu,
      double machineCpuSeconds) {
    double perSecond() {
      return orders / seconds;
    }
  }

  /** Key of this JVM (the load generator) in {@link Result#cpu}. */
  static final String LOAD_GENERATOR = "load generator";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  /** {@code clients} threads, each placing one order after the other for {@code seconds}, at {@code orderUrl} ({@code .../order-product}). */
  Result run(String orderUrl, List<String> products, int clients, int seconds, Map<String, Long> pids) throws Exception {
    List<HttpRequest> requests = products.stream().map(p -> BenchStack.orderRequest(orderUrl, p)).toList();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicLong failed = new AtomicLong();
    AtomicLongArray perProduct = new AtomicLongArray(products.size());
    List<double[]> perClient = new ArrayList<>();
    Map<String, Long> measured = new LinkedHashMap<>(pids);
    measured.put(LOAD_GENERATOR, ProcessHandle.current().pid());
    ProcStat.CpuMeter cpu = new ProcStat.CpuMeter(measured).start();
    long t0 = System.nanoTime();
    long end = t0 + Duration.ofSeconds(seconds).toNanos();
    try {
      List<Future<double[]>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int offset = c;
        futures.add(pool.submit(() -> {
          double[] times = new double[1024];
          int n = 0;
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
            if (n == times.length) {
              times = Arrays.copyOf(times, n * 2);
            }
            times[n++] = (System.nanoTime() - s) / 1e6;
            perProduct.incrementAndGet(product);
          }
          return Arrays.copyOf(times, n);
        }));
      }
      for (Future<double[]> f : futures) {
        perClient.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    cpu.stop();
    Map<String, Double> used = new LinkedHashMap<>(cpu.used());
    used.put("others", cpu.others());
    double[] all = perClient.stream().flatMapToDouble(Arrays::stream).toArray();
    long[] counts = new long[products.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = perProduct.get(i);
    }
    return new Result(clients, all.length, failed.get(), elapsed, all, counts, used, cpu.machine());
  }
}
