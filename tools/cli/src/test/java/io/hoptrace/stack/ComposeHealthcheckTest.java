package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hoptrace.config.Env;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The healthchecks of the services docker-compose.yml builds from this repository, run the way Docker
 * runs them ({@code CMD}: the argv as it is; {@code CMD-SHELL}: {@code /bin/sh -c <string>}, and
 * /bin/sh is dash here as on the Ubuntu-based images) against the real services of {@code ./stack} on
 * free ports: exit 0 while the service is healthy, non-zero when it answers 503 and when it is down.
 * Only the port changes: each command's container port is replaced by the port the service has here.
 */
class ComposeHealthcheckTest {
  /** Compose service, the variable of its port in ./stack. */
  static final Map<String, String> SERVICES = Map.of(
      "collector", "COLLECTOR_HEALTH_PORT", "inventory", "INVENTORY_HTTP_PORT", "order", "ORDER_HTTP_PORT");

  @TempDir Path data;

  @Test
  void everyHealthcheckPassesOnAHealthyServiceAndFailsOnAnUnhealthyOrStoppedOne() throws Exception {
    Map<String, String> env = TestStacks.env(data);
    env.put("COLLECTOR_SELF_METRICS_INTERVAL", "0");
    Map<String, Healthcheck> checks = healthchecks();
    assertThat(checks.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES.keySet());

    SupervisedStack stack = new SupervisedStack(StackConfig.fromEnv(Env.of(env)),
        TestStacks.silentConsole());
    stack.up();
    try {
      for (var e : checks.entrySet()) {
        int port = Integer.parseInt(env.get(SERVICES.get(e.getKey())));
        assertThat(e.getValue().run(port)).as(e.getKey() + " healthy: " + e.getValue().argv(port)).isEqualTo(0);
      }
    } finally {
      stack.down();
    }
    for (var e : checks.entrySet()) {
      int port = Integer.parseInt(env.get(SERVICES.get(e.getKey())));
      assertThat(e.getValue().run(port)).as(e.getKey() + " stopped: " + e.getValue().argv(port)).isNotEqualTo(0);
    }
    // listening but unhealthy (what the services answer while Kafka or ClickHouse is away)
    HttpServer unhealthy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    unhealthy.createContext("/", exchange -> {
      byte[] body = "{\"status\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(503, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    unhealthy.start();
    try {
      for (var e : checks.entrySet()) {
        int port = unhealthy.getAddress().getPort();
        assertThat(e.getValue().run(port)).as(e.getKey() + " answering 503: " + e.getValue().argv(port)).isNotEqualTo(0);
      }
    } finally {
      unhealthy.stop(0);
    }
  }

  /** A service's healthcheck from docker-compose.yml, with the container port it probes. */
  record Healthcheck(List<String> test, int containerPort, Duration timeout) {
    /** The argv Docker executes, with the container port replaced by {@code port}. */
    List<String> argv(int port) {
      List<String> argv = switch (test.get(0)) {
        case "CMD" -> new ArrayList<>(test.subList(1, test.size()));
        case "CMD-SHELL" -> new ArrayList<>(List.of("/bin/sh", "-c", test.get(1)));
        default -> throw new AssertionError("healthcheck form " + test.get(0) + " is not run by Docker as a command");
      };
      String all = String.join(" ", argv);
      assertThat(all).as("the command probes the container port " + containerPort).containsPattern("\\b" + containerPort + "\\b");
      argv.replaceAll(a -> a.replaceAll("\\b" + containerPort + "\\b", String.valueOf(port)));
      return argv;
    }

    /** Runs the command; its exit code, or -1 when Docker would have killed it for its timeout. */
    int run(int port) throws IOException, InterruptedException {
      Process p = new ProcessBuilder(argv(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        return -1;
      }
      return p.exitValue();
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Healthcheck> healthchecks() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(TestStacks.repoRoot().resolve("docker-compose.yml")));
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    Map<String, Healthcheck> checks = new LinkedHashMap<>();
    services.forEach((name, service) -> {
      if (service.get("build") == null) {
        return; // third-party images: their healthchecks use the images' own tools
      }
      Map<String, Object> hc = (Map<String, Object>) service.get("healthcheck");
      assertThat(hc).as(name + " has a healthcheck").isNotNull();
      String mapping = ((List<String>) service.get("ports")).stream()
          .filter(p -> p.endsWith(":" + containerHealthPort(name)))
          .findFirst().orElseThrow(() -> new AssertionError(name + ": no port mapping for its health port"));
      checks.put(name, new Healthcheck((List<String>) hc.get("test"), Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1)),
          Env.parseDuration(String.valueOf(hc.get("timeout")))));
    });
    return checks;
  }

  /** The container port the service's healthcheck is meant for: its health port in the contract. */
  private static String containerHealthPort(String name) {
    return switch (name) {
      case "collector" -> "13133";
      case "inventory" -> "8010";
      case "order" -> "8000";
      default -> throw new AssertionError("a service built from this repository that this test does not know: " + name);
    };
  }
}
