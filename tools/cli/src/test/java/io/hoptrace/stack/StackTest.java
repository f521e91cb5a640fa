package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.config.Env;
import io.hoptrace.process.Ports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack refuses to start half-way: a taken port or an unreachable Kafka stops it before anything runs (the happy path: SystemTest). */
class StackTest {
  @TempDir Path data;

  private Map<String, String> env() {
    Map<String, String> env = TestStacks.env(data);
    env.put("COLLECTOR_SELF_METRICS_INTERVAL", "0");
    return env;
  }

  @Test
  void aTakenPortStopsStartUpBeforeAnythingStarts() throws Exception {
    Map<String, String> env = env();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      env.put("HOPTRACE_CLICKHOUSE_HTTP_PORT", String.valueOf(taken.getLocalPort()));
      StackConfig config = StackConfig.fromEnv(Env.of(env));
      SupervisedStack stack = new SupervisedStack(config, TestStacks.silentConsole());

      assertThatThrownBy(stack::up)
          .isInstanceOf(Ports.PortInUseException.class)
          .hasMessageContaining("port " + taken.getLocalPort() + " (ClickHouse HTTP) is already in use by pid " + ProcessHandle.current().pid())
          .hasMessageContaining("nothing was started");
      assertThat(Ports.isFree("127.0.0.1", Integer.parseInt(env.get("HOPTRACE_KAFKA_PORT")))).isTrue();
      assertThat(Files.exists(data.resolve("kafka"))).isFalse();
    }
  }

  @Test
  void unreachableExternalKafkaIsNamedAndNothingIsLeftRunning() {
    Map<String, String> env = env();
    int closed = Ports.freePort();
    env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed);
    StackConfig config = StackConfig.fromEnv(Env.of(env));
    SupervisedStack stack = new SupervisedStack(config, TestStacks.silentConsole());

    assertThatThrownBy(stack::up).hasMessageContaining("127.0.0.1:" + closed).hasMessageContaining("Is Kafka reachable");
    assertThat(Ports.isFree("127.0.0.1", Integer.parseInt(env.get("HOPTRACE_CLICKHOUSE_HTTP_PORT")))).isTrue();
  }
}
