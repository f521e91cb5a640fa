package io.hoptrace.faults.scenario;

import io.hoptrace.faults.Parts;
import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.faults.accounting.SpanAccounting;
import io.hoptrace.faults.fuzz.Case;
import io.hoptrace.faults.fuzz.GrpcClient;
import io.hoptrace.faults.fuzz.HttpFuzzer;
import io.hoptrace.faults.fuzz.OtlpCases;
import io.hoptrace.faults.fuzz.RssSampler;
import io.hoptrace.faults.fuzz.ServiceCases;
import io.hoptrace.faults.fuzz.Verdicts;
import io.hoptrace.faults.probe.KafkaOffsets;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded fuzzer against both OTLP ports (HTTP and gRPC, all three signals) and every endpoint of
 * order and inventory: only 2xx (the damage left the input valid), 3xx (/docs), 4xx or the documented 503, never
 * another 5xx, never a hang; every process alive and healthy afterwards, its RSS under the bound; and
 * the ingester still ingests (it commits everything the fuzzer got accepted).
 */
public final class BadInput implements Scenario {
  public static final String PRODUCT = "fuzz-part";
  public static final int STOCK = 1_000_000;
  private static final List<String> SIGNALS = List.of("traces", "metrics", "logs");

  /** RSS bound of a JVM of ours: twice its heap plus 256 MiB (metaspace, threads, Netty's direct buffers, code cache). */
  public static long rssBoundMib(String heap) {
    String h = heap.toLowerCase();
    long mib = h.endsWith("g") ? Long.parseLong(h.substring(0, h.length() - 1)) * 1024 : Long.parseLong(h.replaceAll("[^0-9]", ""));
    return 2 * mib + 256;
  }

  @Override
  public String name() {
    return "fuzz";
  }

  @Override
  public String title() {
    return "fuzzed OTLP (HTTP + gRPC) and malformed requests to every service endpoint: only 2xx/3xx/4xx/503, no hang, no crash, RSS bounded";
  }

  @Override
  public void run(Stack stack, SuiteOptions o, ScenarioResult result, PrintStream out) throws Exception {
    Verdicts verdicts = new Verdicts();
    Map<String, Long> pids = new HashMap<>();
    Parts.processes(stack).forEach((n, p) -> pids.put(n, p.pid()));
    RssSampler rss = new RssSampler(Parts.processes(stack)).start();
    // Kafka is up all along: the receiver has no reason to answer 503 / UNAVAILABLE; the services may
    // give their documented 503s (not_ready, kafka_unavailable, inventory_unavailable)
    HttpFuzzer http = new HttpFuzzer(verdicts, (status, code) -> Verdicts.acceptableOtlpHttp(status));
    HttpFuzzer services = new HttpFuzzer(verdicts, Verdicts::acceptableServiceHttp);
    int n = o.fuzzCases();
    out.println("    seed " + o.seed() + ", " + n + " cases per target");
    long idSeed = 7_000_000;
    for (String signal : SIGNALS) {
      String url = stack.receiver().url() + "/v1/" + signal;
      OtlpCases cases = new OtlpCases(signal, new Random(o.seed() * 31 + signal.hashCode()), idSeed);
      idSeed += 10_000_000;
      for (int i = 0; i < n; i++) {
        http.send("OTLP/HTTP " + signal, i, "POST", url, cases.next());
      }
      List<Case> big = cases.big(o.full());
      for (int i = 0; i < big.size(); i++) {
        out.println("    OTLP/HTTP " + signal + ": " + big.get(i).kind());
        http.send("OTLP/HTTP " + signal, -1 - i, "POST", url, big.get(i));
      }
      grpc(stack, signal, cases, big, n, new Random(o.seed() * 37 + signal.hashCode()), verdicts, out);
    }
    services(stack, o, services, n);
    Map<String, Long> peaks = rss.stop();

    result.figure("requests sent", verdicts.requests());
    verdicts.answers().forEach((target, answers) -> result.figure("  " + target, answers.toString()));
    verdicts.bigAnswers().forEach((what, answer) -> result.figure("  " + what, answer));
    List<String> bad = verdicts.violations();
    result.check("only 2xx, 3xx, 4xx (services: or a documented 503), never a hang", bad.isEmpty(),
        bad.size() + " violations" + (bad.isEmpty() ? "" : ": " + String.join("; ", bad.subList(0, Math.min(10, bad.size())))));
    for (Map.Entry<String, JvmInstance> e : Parts.processes(stack).entrySet()) {
      JvmInstance p = e.getValue();
      long bound = rssBoundMib(p.heap());
      result.figure("peak RSS " + e.getKey() + " (MiB)", peaks.getOrDefault(e.getKey(), -1L));
      result.check(e.getKey() + " alive, same process, healthy", p.isAlive() && p.pid() == pids.get(e.getKey()) && p.health() == 200,
          "pid " + pids.get(e.getKey()) + " -> " + p.pid());
      result.check(e.getKey() + " peak RSS under " + bound + " MiB", peaks.getOrDefault(e.getKey(), Long.MAX_VALUE) < bound,
          peaks.get(e.getKey()) + " MiB");
    }
    String kafka = stack.kafka().bootstrapServers();
    boolean ingested;
    try {
      KafkaOffsets.awaitCommitted(kafka, SpanAccounting.TRACES_GROUP, Topics.OTLP_SPANS, Duration.ofMinutes(3));
      KafkaOffsets.awaitCommitted(kafka, "hoptrace-ingester-metrics", Topics.OTLP_METRICS, Duration.ofMinutes(3));
      KafkaOffsets.awaitCommitted(kafka, "hoptrace-ingester-logs", Topics.OTLP_LOGS, Duration.ofMinutes(3));
      ingested = true;
    } catch (RuntimeException e) {
      ingested = false;
    }
    result.check("the ingester ingested (or dead-lettered) everything the fuzzer got accepted", ingested, "");
  }

  private static void grpc(Stack stack, String signal, OtlpCases cases, List<Case> big, int n, Random random, Verdicts verdicts, PrintStream out)
      throws Exception {
    String path = switch (signal) {
      case "traces" -> GrpcClient.TRACES;
      case "metrics" -> GrpcClient.METRICS;
      default -> GrpcClient.LOGS;
    };
    String target = "OTLP/gRPC " + signal;
    try (GrpcClient client = new GrpcClient(Parts.otlpGrpcPort(stack))) {
      for (int i = 0; i < n; i++) {
        Case c = cases.next();
        Map<String, String> headers = Map.of();
        byte[] body = GrpcClient.frame(c.body());
        String kind = c.kind();
        switch (random.nextInt(8)) {
          case 0 -> {
            ByteBuffer.wrap(body).putInt(1, c.body().length + 1 + random.nextInt(100)); // says more than it has
            kind += ", frame length too long";
          }
          case 1 -> {
            ByteBuffer.wrap(body).putInt(1, Math.max(0, c.body().length - 1 - random.nextInt(10))); // says less
            kind += ", frame length too short";
          }
          case 2 -> {
            body[0] = 1; // compressed, but no grpc-encoding
            kind += ", compressed flag without encoding";
          }
          case 3 -> {
            body[0] = 1;
            headers = Map.of("grpc-encoding", "gzip");
            kind += ", gzip flag on bytes that are not gzip";
          }
          default -> { }
        }
        call(client, target, i, path, new Case(kind, body, headers), verdicts);
      }
      for (int i = 0; i < big.size(); i++) {
        out.println("    OTLP/gRPC " + signal + ": " + big.get(i).kind());
        Case c = big.get(i);
        if (c.headers().containsKey("content-encoding")) { // the gzip bomb: as a gzip-compressed gRPC message
          byte[] framed = GrpcClient.frame(c.body());
          framed[0] = 1;
          call(client, target, -1 - i, path, new Case(c.kind(), framed, Map.of("grpc-encoding", "gzip")), verdicts);
        } else {
          call(client, target, -1 - i, path, new Case(c.kind(), GrpcClient.frame(c.body()), Map.of()), verdicts);
        }
      }
    }
  }

  private static void call(GrpcClient client, String target, int index, String path, Case c, Verdicts verdicts) {
    try {
      GrpcClient.Answer a = client.call(path, c.body(), c.headers(), Duration.ofSeconds(60));
      verdicts.record(target, index, c, "grpc-status " + a.grpcStatus(), a.httpStatus() == 200 && Verdicts.acceptableGrpc(a.grpcStatus())
          || a.grpcStatus() == null && Verdicts.acceptableOtlpHttp(a.httpStatus()) && a.httpStatus() != 200);
    } catch (java.util.concurrent.TimeoutException e) {
      verdicts.record(target, index, c, "no answer (timed out after 60 s)", false);
    } catch (Exception e) {
      verdicts.record(target, index, c, "no answer (" + e + ")", false);
    }
  }

  private static void services(Stack stack, SuiteOptions o, HttpFuzzer http, int n) {
    ServiceCases order = new ServiceCases(new Random(o.seed() * 41), "/order-product",
        "{\"productId\":\"" + PRODUCT + "\",\"quantity\":1}",
        List.of("/health", "/list-orders", "/list-products", "/orders/00000000-0000-0000-0000-000000000000", "/docs", "/openapi.yaml"));
    ServiceCases inventory = new ServiceCases(new Random(o.seed() * 43), "/reduce-stock",
        "{\"productId\":\"" + PRODUCT + "\",\"quantity\":1,\"requestId\":\"fuzz-1\"}",
        List.of("/health", "/list-products", "/docs", "/openapi.yaml"));
    for (int i = 0; i < n; i++) {
      ServiceCases.Request r = order.next();
      http.send("order", i, r.method(), stack.jvm(Role.ORDER).url() + r.path(), r.input());
      r = inventory.next();
      http.send("inventory", i, r.method(), stack.jvm(Role.INVENTORY).url() + r.path(), r.input());
    }
    List<ServiceCases.Request> big = order.big();
    for (int i = 0; i < big.size(); i++) {
      http.send("order", -1 - i, big.get(i).method(), stack.jvm(Role.ORDER).url() + big.get(i).path(), big.get(i).input());
    }
    big = inventory.big();
    for (int i = 0; i < big.size(); i++) {
      http.send("inventory", -1 - i, big.get(i).method(), stack.jvm(Role.INVENTORY).url() + big.get(i).path(), big.get(i).input());
    }
  }
}
