package io.hoptrace.bench;

import io.hoptrace.launcher.JvmInstance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 3, service overhead of tracing: wrk against order's {@code POST /order-product} (a
 * product with a stock that never runs out, so every order is a full Kafka round trip that
 * succeeds) and {@code GET /list-products} (an HTTP hop to inventory), with the services' telemetry
 * on (the default: traces, metrics and logs to the collector, which ingests them into ClickHouse on
 * the same machine) and off ({@code OTEL_SDK_DISABLED=true}), alternating within the run.
 */
final class ServiceOverhead {
  /** @param profile after the measured repetitions, profile order and inventory (telemetry on) during an extra, unmeasured run */
  record Options(int repeats, int seconds, int connections, boolean profile) {}

  record Measure(int repetition, boolean tracing, String endpoint, Wrk.Result result, Map<String, Double> cpu) {
    /** Other processes used more than a tenth of the machine while wrk ran. */
    boolean disturbed() {
      return cpu.get("others") / (result.seconds() * Runtime.getRuntime().availableProcessors()) > Quiet.MAX_OTHERS_SHARE;
    }
  }

  private final BenchStack stack;
  private final Options options;
  private final Console console;

  ServiceOverhead(BenchStack stack, Options options, Console console) {
    this.stack = stack;
    this.options = options;
    this.console = console;
  }

  Report.Section run() throws Exception {
    Wrk wrk = Wrk.find(stack.workDir().resolve("wrk"), console);
    Path seed = stack.unlimitedCatalogue("bench-catalogue.json", List.of(BenchStack.PRODUCT),
        "{\"productId\": \"laptop\", \"name\": \"Laptop\", \"price\": 999.0, \"stock\": 10}");
    ClickHouseHttp ch = new ClickHouseHttp(stack.clickHouseUrl());
    List<Measure> measures = new ArrayList<>();
    List<String> profile = new ArrayList<>();
    try (JvmInstance collector = stack.startCollector(Map.of())) {
      // a repetition (both modes) that other processes disturbed is measured again, up to two extra times
      for (int r = 1; cleanRepetitions(measures) < options.repeats() && r <= options.repeats() + 2; r++) {
        // alternate which mode goes first, so a drift of the machine does not favour one
        for (boolean tracing : r % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true}) {
          Map<String, String> env = new LinkedHashMap<>();
          env.put("INVENTORY_SEED_FILE", seed.toString());
          if (!tracing) {
            env.put("OTEL_SDK_DISABLED", "true");
          }
          try (BenchStack.Services services = stack.startServices(env)) {
            Map<String, Long> pids = stack.pids(List.of(services.order(), services.inventory()), collector);
            String order = services.order().url() + "/order-product";
            String list = services.order().url() + "/list-products";
            String body = "{\"productId\":\"" + BenchStack.PRODUCT + "\",\"quantity\":1}";
            // the profile of a first version (10 s warm-ups) showed the C2 compiler at 45-50 % of the services' CPU while measuring
            console.step("overhead " + r + "/" + options.repeats() + ", telemetry " + (tracing ? "on" : "off") + ": warm-up (20 s each endpoint)");
            wrk.run(order, body, 2, options.connections(), 20, pids, null);
            wrk.run(list, null, 2, options.connections(), 20, pids, null);
            Quiet.await(console, ch);
            for (String endpoint : List.of("POST /order-product", "GET /list-products")) {
              Map<String, Double> cpu = new LinkedHashMap<>();
              double jit = compilerSeconds(services);
              Wrk.Result res = endpoint.startsWith("POST") ? wrk.run(order, body, 2, options.connections(), options.seconds(), pids, cpu)
                  : wrk.run(list, null, 2, options.connections(), options.seconds(), pids, cpu);
              cpu.put("services JIT", compilerSeconds(services) - jit);
              measures.add(new Measure(r, tracing, endpoint, res, cpu));
              console.step(String.format(Locale.ROOT, "  %s telemetry %s: %,.0f requests/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d, socket errors %d, "
                      + "service CPU %.0f µs/request (JIT %.0f), others %.1f CPU-s",
                  endpoint, tracing ? "on" : "off", res.perSecond(), res.p50Millis(), res.p99Millis(), res.non2xx(), res.socketErrors(),
                  BenchStack.serviceCpu(cpu) / res.requests() * 1e6, cpu.get("services JIT") / res.requests() * 1e6, cpu.get("others")));
            }
          }
        }
      }
      if (options.profile()) {
        profile.addAll(profile(wrk, ch, seed));
      }
    }
    return section(measures, profile);
  }

  /**
   * An extra run with telemetry on, not measured: async-profiler on order and inventory while wrk
   * drives each endpoint, summarised by who owns the CPU (telemetry, the service, Vert.x/Netty, ...).
   */
  private List<String> profile(Wrk wrk, ClickHouseHttp ch, Path seed) throws Exception {
    Profiler profiler = Profiler.unpack(stack.workDir().resolve("profiler"));
    List<String> lines = new ArrayList<>();
    try (BenchStack.Services services = stack.startServices(Map.of("INVENTORY_SEED_FILE", seed.toString()))) {
      String order = services.order().url() + "/order-product";
      String list = services.order().url() + "/list-products";
      String body = "{\"productId\":\"" + BenchStack.PRODUCT + "\",\"quantity\":1}";
      console.step("overhead: profiling the services, telemetry on (warm-up 20 s each endpoint)");
      wrk.run(order, body, 2, options.connections(), 20, Map.of(), null);
      wrk.run(list, null, 2, options.connections(), 20, Map.of(), null);
      for (String endpoint : List.of("POST /order-product", "GET /list-products")) {
        Quiet.await(console, ch);
        profiler.start(services.order().pid());
        profiler.start(services.inventory().pid());
        if (endpoint.startsWith("POST")) {
          wrk.run(order, body, 2, options.connections(), options.seconds(), Map.of(), null);
        } else {
          wrk.run(list, null, 2, options.connections(), options.seconds(), Map.of(), null);
        }
        String file = endpoint.substring(endpoint.indexOf('/') + 1);
        for (var service : List.of(Map.entry("order", services.order()), Map.entry("inventory", services.inventory()))) {
          Path out = profiler.stop(service.getValue().pid(), stack.workDir().resolve(service.getKey() + "-" + file + ".collapsed"));
          Profiler.Summary s = Profiler.summariseService(out);
          console.step("overhead: profile of " + service.getKey() + " during " + endpoint + " (" + s.samples() + " samples, " + out + "):\n"
              + s.format() + "innermost telemetry frames:\n  " + String.join("\n  ", s.topSelfFrames()));
          lines.add("");
          lines.add(String.format(Locale.ROOT, "Profile of %s during `%s`, telemetry on, an extra (unmeasured) run, async-profiler cpu, %,d samples "
              + "(a sample on an event loop belongs to the innermost frame of telemetry or of the service):", service.getKey(), endpoint, s.samples()));
          lines.add("");
          lines.add("```");
          lines.add(s.format().stripTrailing());
          if (!s.topSelfFrames().isEmpty()) {
            lines.add("innermost telemetry frames:");
            s.topSelfFrames().forEach(f -> lines.add("  " + f));
          }
          lines.add("```");
        }
      }
    }
    return lines;
  }

  private static double compilerSeconds(BenchStack.Services services) {
    return ProcStat.compilerSeconds(services.order().pid()) + ProcStat.compilerSeconds(services.inventory().pid());
  }

  private static long cleanRepetitions(List<Measure> measures) {
    return measures.stream().map(Measure::repetition).distinct()
        .filter(r -> measures.stream().filter(m -> m.repetition == r).count() == 4
            && measures.stream().noneMatch(m -> m.repetition == r && m.disturbed()))
        .count();
  }

  private static double serviceCpuPerRequest(Measure m) {
    return BenchStack.serviceCpu(m.cpu) / m.result.requests() * 1e6;
  }

  /** The same without the JIT compiler threads: what a request costs once the code is compiled. */
  private static double serviceCpuPerRequestWithoutJit(Measure m) {
    return (BenchStack.serviceCpu(m.cpu) - m.cpu.get("services JIT")) / m.result.requests() * 1e6;
  }

  private Report.Section section(List<Measure> all, List<String> profile) {
    Map<String, List<Double>> raw = new LinkedHashMap<>();
    java.util.Set<Integer> disturbed = new java.util.HashSet<>();
    all.stream().filter(Measure::disturbed).forEach(m -> disturbed.add(m.repetition));
    List<Measure> clean = all.stream().filter(m -> !disturbed.contains(m.repetition)).toList();
    List<Measure> measures = clean.stream().map(Measure::repetition).distinct().count() >= 2 ? clean : all;
    List<Report.Row> rows = new ArrayList<>();
    List<String> details = new ArrayList<>();
    details.add(String.format(Locale.ROOT, "%d repetitions, %d disturbed (other processes used more than %.0f %% of the machine)%s.",
        all.stream().map(Measure::repetition).distinct().count(), disturbed.size(), Quiet.MAX_OTHERS_SHARE * 100,
        disturbed.isEmpty() ? "" : measures == all ? " and used anyway (too few undisturbed ones)" : " and left out of the figures"));
    details.add("");
    details.add("| repetition | endpoint | telemetry | requests/s | p50 ms | p99 ms | non-2xx | order+inventory CPU µs/request | of which JIT compiler threads "
        + "| collector+Kafka+ClickHouse CPU µs/request |");
    details.add("|---|---|---|---|---|---|---|---|---|---|");
    for (String endpoint : List.of("POST /order-product", "GET /list-products")) {
      List<Measure> on = measures.stream().filter(m -> m.endpoint.equals(endpoint) && m.tracing).toList();
      List<Measure> off = measures.stream().filter(m -> m.endpoint.equals(endpoint) && !m.tracing).toList();
      Stats onRps = Stats.of(on.stream().map(m -> m.result.perSecond()).toList());
      Stats offRps = Stats.of(off.stream().map(m -> m.result.perSecond()).toList());
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < Math.min(on.size(), off.size()); i++) {
        ratios.add(on.get(i).result.perSecond() / off.get(i).result.perSecond());
      }
      Stats ratio = Stats.of(ratios);
      long non2xx = measures.stream().filter(m -> m.endpoint.equals(endpoint)).mapToLong(m -> m.result.non2xx() + m.result.socketErrors()).sum();
      rows.add(new Report.Row(endpoint + ": requests/s with telemetry on", onRps.format("%,.0f"), offRps.format("%,.0f") + " (telemetry off)",
          ratio.format("%.2f"), "", null));
      rows.add(Report.Row.info(endpoint + ": p50 latency on / off", Stats.of(on.stream().map(m -> m.result.p50Millis()).toList()).format("%.2f")
          + " ms / " + Stats.of(off.stream().map(m -> m.result.p50Millis()).toList()).format("%.2f") + " ms"));
      rows.add(Report.Row.info(endpoint + ": p99 latency on / off", Stats.of(on.stream().map(m -> m.result.p99Millis()).toList()).format("%.2f")
          + " ms / " + Stats.of(off.stream().map(m -> m.result.p99Millis()).toList()).format("%.2f") + " ms"));
      rows.add(Report.Row.info(endpoint + ": non-2xx answers and socket errors, all runs", Long.toString(non2xx)));
      Stats onCpu = Stats.of(on.stream().map(m -> BenchStack.serviceCpu(m.cpu) / m.result.requests() * 1e6).toList());
      Stats offCpu = Stats.of(off.stream().map(m -> BenchStack.serviceCpu(m.cpu) / m.result.requests() * 1e6).toList());
      List<Double> cpuRatios = new ArrayList<>();
      for (int i = 0; i < Math.min(on.size(), off.size()); i++) {
        cpuRatios.add(serviceCpuPerRequest(on.get(i)) / serviceCpuPerRequest(off.get(i)));
      }
      Stats cpuRatio = Stats.of(cpuRatios);
      rows.add(new Report.Row(endpoint + ": CPU of order + inventory per request, telemetry on (in-process cost)", onCpu.format("%,.0f") + " µs",
          offCpu.format("%,.0f") + " µs (telemetry off)", cpuRatio.format("%.2f"),
          String.format(Locale.ROOT, "on/off ≤ %.2f", Goals.SERVICE_CPU_ON_OFF), cpuRatio.median() <= Goals.SERVICE_CPU_ON_OFF));
      List<Double> noJitRatios = new ArrayList<>();
      for (int i = 0; i < Math.min(on.size(), off.size()); i++) {
        noJitRatios.add(serviceCpuPerRequestWithoutJit(on.get(i)) / serviceCpuPerRequestWithoutJit(off.get(i)));
      }
      rows.add(Report.Row.info(endpoint + ": the same without the services' JIT compiler threads, on / off (ratio)",
          Stats.of(on.stream().map(ServiceOverhead::serviceCpuPerRequestWithoutJit).toList()).format("%,.0f") + " µs / "
              + Stats.of(off.stream().map(ServiceOverhead::serviceCpuPerRequestWithoutJit).toList()).format("%,.0f") + " µs ("
              + Stats.of(noJitRatios).format("%.2f") + ")"));
      raw.put(endpoint + " service JIT CPU µs/request on", on.stream().map(m -> m.cpu.get("services JIT") / m.result.requests() * 1e6).toList());
      raw.put(endpoint + " service JIT CPU µs/request off", off.stream().map(m -> m.cpu.get("services JIT") / m.result.requests() * 1e6).toList());
      raw.put(endpoint + " service CPU µs/request on", on.stream().map(ServiceOverhead::serviceCpuPerRequest).toList());
      raw.put(endpoint + " service CPU µs/request off", off.stream().map(ServiceOverhead::serviceCpuPerRequest).toList());
      raw.put(endpoint + " requests/s on", on.stream().map(m -> m.result.perSecond()).toList());
      raw.put(endpoint + " requests/s off", off.stream().map(m -> m.result.perSecond()).toList());
      for (Measure m : all) {
        if (m.endpoint.equals(endpoint)) {
          double n = m.result.requests();
          details.add(String.format(Locale.ROOT, "| %d%s | %s | %s | %,.0f | %.2f | %.2f | %d | %.0f | %.0f | %.0f |", m.repetition,
              disturbed.contains(m.repetition) ? " (disturbed)" : "", endpoint, m.tracing ? "on" : "off",
              m.result.perSecond(), m.result.p50Millis(), m.result.p99Millis(), m.result.non2xx(),
              BenchStack.serviceCpu(m.cpu) / n * 1e6, m.cpu.get("services JIT") / n * 1e6,
              BenchStack.pipelineCpu(m.cpu) / n * 1e6));
        }
      }
    }
    details.addAll(profile);
    return new Report.Section("3. Service overhead of tracing", List.of(String.format(Locale.ROOT,
        "`wrk -t2 -c%d -d%ds` against order's `POST /order-product` (JSON body, a product whose stock never runs out: every order is "
            + "a confirmed Kafka round trip through inventory) and `GET /list-products` (an HTTP hop to inventory). Telemetry on: the default "
            + "(traces, metrics, logs as OTLP to the collector, which writes them to Kafka and ClickHouse on the same two cores); off: "
            + "`OTEL_SDK_DISABLED=true`. Both modes alternate within the run, each on freshly started services after a 20 s warm-up per endpoint; "
            + "ratio = on / off of the same repetition.", options.connections(), options.seconds())), rows, details, raw);
  }
}
