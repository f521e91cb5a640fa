package io.hoptrace.faults.scenario;

import io.hoptrace.faults.Parts;
import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.SuiteOptions;
import io.hoptrace.faults.accounting.OrderAccounting;
import io.hoptrace.faults.accounting.SpanAccounting;
import io.hoptrace.faults.fuzz.GrpcClient;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.orders.OrderClients;
import io.hoptrace.load.orders.ServiceApi;
import io.hoptrace.load.otlp.ExportRetry;
import io.hoptrace.load.otlp.SpanFactory;
import io.hoptrace.load.otlp.SpanLedger;
import io.hoptrace.load.otlp.TelemetryLoad;
import io.hoptrace.process.Poll;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kafka broker killed (kill -9) under telemetry and order load, then restarted: the receiver
 * refuses with the retryable status meanwhile (HTTP 503, gRPC UNAVAILABLE), the services recover
 * without a restart, nothing acknowledged is lost. The telemetry load retries as an OpenTelemetry
 * SDK does ({@link ExportRetry#sdkDefaults}): a request answered 503 or not at all may have reached
 * Kafka, so its retry sends the same spans again, and each must still be stored exactly once (the
 * ingester's de-duplication window, docs/adr/009). The order clients retry 503s and lost answers
 * with their Idempotency-Key, as a careful client would: each order is counted exactly once.
 */
public final class KafkaOutage implements Scenario {
  public static final String PRODUCT = "kafka-gear";
  public static final int STOCK = 1_000_000;
  /** The receiver's COLLECTOR_KAFKA_DELIVERY_TIMEOUT (its default). */
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String title() {
    return "Kafka kill -9 under telemetry and order load, restarted: 503/UNAVAILABLE meanwhile, services recover without restart, nothing acknowledged lost";
  }

  @Override
  public void run(Stack stack, SuiteOptions o, ScenarioResult result, PrintStream out) throws Exception {
    ServiceApi api = Parts.api(stack);
    int stockBefore = api.stockOf(PRODUCT);
    long orderPid = stack.jvm(Role.ORDER).pid();
    long inventoryPid = stack.jvm(Role.INVENTORY).pid();
    TelemetryLoad load = new TelemetryLoad(stack.receiver().url(), "faults-kafka-" + o.seed(), 2_000_000,
        o.tracesPerRequest(), o.telemetryRate(), 4).retrying(ExportRetry.sdkDefaults()).start();
    OrderClients clients = OrderClients.retrying(stack.jvm(Role.ORDER).url(), PRODUCT, 10, o.seed()).start();
    Pause.of(o.loadAround());

    Map<String, Long> grpc = new TreeMap<>();
    // the probe and its client are ready before the kill: the window for a probe is only the outage less
    // the delivery timeout (2 s in the short form), which building them under load could use up
    byte[] probe = GrpcClient.frame(new SpanFactory("faults-kafka-grpc-" + o.seed()).request(2_900_000, 1, System.currentTimeMillis() * 1_000_000L));
    long down;
    try (GrpcClient client = new GrpcClient(Parts.otlpGrpcPort(stack))) {
      out.println("    kill -9 Kafka (pid " + stack.kafka().pid() + "), down for " + o.kafkaDown().toSeconds() + " s");
      stack.kafka().kill();
      down = System.nanoTime();
      // each probe waits for the receiver's Kafka delivery timeout (10 s): start one only if it ends within the outage
      while (System.nanoTime() - down + DELIVERY_TIMEOUT.toNanos() <= o.kafkaDown().toNanos()) {
        String answer;
        try {
          answer = "grpc-status " + client.call(GrpcClient.TRACES, probe, Map.of(), Duration.ofSeconds(30)).grpcStatus();
        } catch (Exception e) {
          answer = "no answer";
        }
        grpc.merge(answer, 1L, Long::sum);
      }
    }
    Pause.of(o.kafkaDown().minusNanos(System.nanoTime() - down));
    out.println("    restarting Kafka");
    stack.kafka().restart();
    long restarted = System.nanoTime();
    result.figure("Kafka down, kill to answering again (s)", (restarted - down) / 1_000_000_000L);

    boolean recovered;
    try {
      Poll.until("an order to be confirmed after Kafka's restart", Duration.ofMinutes(2), Duration.ofMillis(500), () -> {
        OrderClients.Placed p = clients.placeOne(1);
        return p != null && p.httpStatus() == 201 && "CONFIRMED".equals(p.status());
      });
      recovered = true;
      result.figure("first order confirmed after restart (s)", (System.nanoTime() - restarted) / 1_000_000_000L);
    } catch (Poll.TimeoutException e) {
      recovered = false;
    }
    Pause.of(o.loadAround());
    clients.stop();
    SpanLedger ledger = load.stop();

    result.figure("gRPC probes during the outage", grpc.values().stream().mapToLong(Long::longValue).sum());
    grpc.forEach((k, v) -> result.figure("  " + k, v));
    SpanAccounting.account(stack, ledger, load.serviceName(), Duration.ofMinutes(5), result);
    long refusedAttempts = ledger.attemptsByAnswer().getOrDefault("503", 0L);
    result.check("the receiver answered 503 meanwhile", refusedAttempts > 0, refusedAttempts + " attempts answered 503, attempts by answer "
        + ledger.attemptsByAnswer());
    result.check("the receiver answered gRPC UNAVAILABLE (14) meanwhile", grpc.getOrDefault("grpc-status 14", 0L) > 0, grpc.toString());
    // "no answer": the last attempt waited the SDK's 10 s timeout while the receiver waited as long for Kafka
    Set<String> allowed = Set.of("200", "503", "429", "no answer");
    result.check("every request's last answer was 200, 503, 429 or the exporter's timeout", allowed.containsAll(ledger.requestsByAnswer().keySet()),
        ledger.requestsByAnswer().toString());
    result.check("export requests were acknowledged only after a retry (the retries ran)", ledger.acknowledgedAfterRetry() > 0,
        ledger.acknowledgedAfterRetry() + " requests, " + ledger.attempts() + " attempts for " + ledger.requests() + " requests");
    result.check("orders succeed again after Kafka's restart", recovered, "");
    OrderAccounting.account(api, PRODUCT, stockBefore, clients, Duration.ofMinutes(2), result);
    long retried = clients.retried().values().stream().mapToLong(Long::longValue).sum();
    result.check("orders were retried with their Idempotency-Key during the outage", retried > 0, retried + " retried answers");
    result.check("every retrying client got its order in the end", clients.refused().isEmpty(), clients.refused().toString());
    result.check("order and inventory recovered without a restart (same processes, healthy)",
        stack.jvm(Role.ORDER).pid() == orderPid && stack.jvm(Role.INVENTORY).pid() == inventoryPid && stack.jvm(Role.ORDER).isAlive()
            && stack.jvm(Role.INVENTORY).isAlive() && stack.jvm(Role.ORDER).health() == 200 && stack.jvm(Role.INVENTORY).health() == 200,
        "order pid " + orderPid + " -> " + stack.jvm(Role.ORDER).pid() + ", inventory pid " + inventoryPid + " -> " + stack.jvm(Role.INVENTORY).pid());
    stack.receiver().awaitHealthy(Duration.ofSeconds(60));
    stack.jvm(Role.INGESTER).awaitHealthy(Duration.ofSeconds(60));
  }
}
