package io.hoptrace.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.process.ChildJvm;
import io.hoptrace.process.ChildProcess;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Both services killed with SIGKILL and started again: the same orders and stock levels, rebuilt from Kafka. */
@ExtendWith(RealInfrastructure.class)
class RestartTest {
  @TempDir Path logs;
  private ServicesUnderTest services;
  private ChildProcess inventory;
  private ChildProcess order;

  @AfterEach
  void stop() {
    for (ChildProcess p : new ChildProcess[] {order, inventory}) {
      if (p != null) {
        p.kill();
      }
    }
    if (services != null) {
      services.close();
    }
  }

  @Test
  void killedServicesComeBackWithTheSameOrdersAndStock(Infrastructure infra) {
    services = new ServicesUnderTest(infra.kafkaBootstrapServers(), Map.of("bolt", 10));
    startBoth();
    assertThat(services.placeOrder("bolt", 2).json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(services.placeOrder("bolt", 3).json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(services.placeOrder("bolt", 20).json().getString("status")).isEqualTo("REJECTED");
    Map<String, String> ordersBefore = orders();
    assertThat(ordersBefore).hasSize(3);
    assertThat(services.stockOf("bolt")).isEqualTo(5);

    order.kill();
    inventory.kill();
    assertThat(order.isAlive() || inventory.isAlive()).isFalse();
    startBoth();

    assertThat(orders()).isEqualTo(ordersBefore);
    assertThat(services.stockOf("bolt")).isEqualTo(5);
    // and they go on where they were: the next order is applied once
    assertThat(services.placeOrder("bolt", 1).json().getString("status")).isEqualTo("CONFIRMED");
    assertThat(services.stockOf("bolt")).isEqualTo(4);
    assertThat(orders()).hasSize(4);
  }

  private void startBoth() {
    inventory = child("inventory", "io.hoptrace.inventory.InventoryMain");
    awaitHealthy(inventory, services.inventoryPort);
    order = child("order", "io.hoptrace.order.OrderMain");
    awaitHealthy(order, services.orderPort);
  }

  private Map<String, String> orders() {
    Map<String, String> out = new TreeMap<>();
    for (Object o : services.order("/list-orders").json().getJsonArray("orders")) {
      JsonObject j = (JsonObject) o;
      out.put(j.getString("orderId"), j.getString("status") + " " + j.getString("traceId"));
    }
    return out;
  }

  private ChildProcess child(String name, String mainClass) {
    Map<String, String> env = new HashMap<>(services.env());
    env.put("OTEL_TRACES_EXPORTER", "none");
    env.put("OTEL_METRICS_EXPORTER", "none");
    env.put("OTEL_LOGS_EXPORTER", "none");
    return ChildJvm.builder(name)
        .classpath(List.of(System.getProperty("java.class.path")))
        .mainClass(mainClass)
        .jvmArg("-Xmx256m")
        .env(env)
        .logFile(logs.resolve(name + ".log"))
        .build()
        .start();
  }

  private void awaitHealthy(ChildProcess p, int port) {
    try {
      Poll.until(p.name() + " healthy", Duration.ofSeconds(90), Duration.ofMillis(200), () -> {
        if (!p.isAlive()) {
          throw new IllegalStateException(p.name() + " exited");
        }
        return services.get(port, "/health").status() == 200;
      });
    } catch (Poll.TimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + p.tail(40), e);
    }
  }
}
