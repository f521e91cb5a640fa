package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.config.Env;
import io.hoptrace.kafka.KafkaClientSecurity;
import io.hoptrace.kafka.TopicSetup;
import io.hoptrace.kafka.TopicSpec;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.Instance;
import io.hoptrace.launcher.JvmInstance;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Scale;
import io.hoptrace.process.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scaled system on one machine, as {@code HOPTRACE_KAFKA_BROKERS=3 ./stack up --scale
 * receiver=2,ingester=2,order=2} starts it (free ports): a Kafka of three brokers whose topics have
 * three replicas and min.insync.replicas 2; two receivers, two ingesters sharing the telemetry
 * partitions, two order instances; {@code ./stack status} lists every instance with the partitions
 * it holds, also an inventory restarted within its group session; an order placed on the second
 * order instance is traced into ClickHouse.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ScaledStackTest {
  static Path data;
  static StackConfig config;
  static SupervisedStack stack;
  static Map<String, String> env;

  @BeforeAll
  static void up() throws Exception {
    data = TestStacks.newDataDir("scaled-test");
    env = TestStacks.env(data);
    env.put("HOPTRACE_KAFKA_BROKERS", "3");
    // eleven JVMs on a small machine: smaller heaps than the defaults are plenty for a few orders
    env.put("HOPTRACE_KAFKA_HEAP", "384m");
    env.put("HOPTRACE_COLLECTOR_HEAP", "384m");
    config = StackConfig.fromEnv(Env.of(env));
    stack = new SupervisedStack(config, TestStacks.silentConsole(),
        Scale.parse("receiver=2,ingester=2,order=2", "--scale"));
    stack.up();
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.down();
    }
    TestStacks.deleteDataDir(data);
  }

  @Test
  void threeBrokersReplicateEveryTopicThreeTimesWithMinIsrTwo() throws Exception {
    String bootstrap = kafka();
    assertThat(bootstrap.split(",")).hasSize(3);
    List<String> names = Topics.all().stream().map(TopicSpec::name).toList();
    try (Admin admin = TopicSetup.admin(bootstrap, KafkaClientSecurity.fromEnv(Env.of(env)))) {
      assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
      Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
          .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get(30, TimeUnit.SECONDS);
      for (String name : names) {
        topics.get(name).partitions().forEach(p -> assertThat(p.replicas()).as(name + " partition " + p.partition()).hasSize(3));
        assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).get("min.insync.replicas").value())
            .as(name).isEqualTo("2");
      }
    }
  }

  @Test
  void statusListsEveryInstanceAndTheIngestersShareTheSpanPartitions() throws Exception {
    List<Instance> ingesters = stack.instances().stream().filter(i -> i.role() == Role.INGESTER).toList();
    assertThat(ingesters).hasSize(2);
    // the group settles after both joined: poll Kafka's view until the three partitions are split between the two
    Poll.until("two ingesters sharing otlp_spans", Duration.ofSeconds(90), Duration.ofMillis(500), () -> {
      ConsumerPartitions p = ConsumerPartitions.describe(kafka(), KafkaClientSecurity.fromEnv(Env.of(env)),
          StackState.read(config.stateFile()).orElseThrow());
      Set<String> spans = new HashSet<>();
      for (Instance i : ingesters) {
        List<String> held = p.byPid().getOrDefault(i.pid(), List.of());
        if (held.stream().noneMatch(h -> h.startsWith("otlp_spans "))) {
          return false;
        }
        held.stream().filter(h -> h.startsWith("otlp_spans ")).forEach(h -> spans.addAll(List.of(h.substring(11).split(","))));
      }
      return spans.equals(Set.of("0", "1", "2"));
    });

    Cli.Result status = Cli.run(env, "status");
    System.out.println(status.out()); // in the test report: what a scaled status looks like
    assertThat(status.exit()).as(status.out() + status.err()).isZero();
    for (String name : List.of("kafka", "clickhouse", "receiver", "receiver-2", "ingester", "ingester-2", "query", "inventory",
        "order", "order-2")) {
      Instance i = stack.instances().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
      String ports = String.join(", ", i.ports().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> e.getValue().toString()).toList());
      assertThat(status.out()).as(status.out()).containsPattern("(?m)^  " + Pattern.quote(name) + " +" + i.role().id() + " +running +"
          + i.pid() + " +");
      assertThat(i.ports()).isNotEmpty();
      i.ports().values().forEach(p -> assertThat(status.out()).as(name).contains(p.toString()));
    }
    for (Instance i : ingesters) {
      Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(i.name()) + " .*\\n(?:               .*\\n)*?               partitions: (.*)$")
          .matcher(status.out());
      assertThat(m.find()).as(status.out()).isTrue();
      assertThat(m.group(1)).contains("otlp_spans ");
    }
    assertThat(status.out()).as("three brokers with their pids").containsPattern("broker 3 +127\\.0\\.0\\.1:\\d+  pid \\d+");

    Cli.Result bad = Cli.run(env, "up", "--scale", "order=2,bogus=1");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--scale: 'bogus' cannot be scaled; roles: inventory, order, receiver, ingester");
  }

  /**
   * inventory killed and started again within its 15 s session (what a crash and a quick restart, or
   * {@code ./stack stop && ./stack up}, do): it rejoins its group under the same static member id, and the
   * group coordinator keeps the client.id, with the pid, of its first run. Status shows its partitions
   * under the running process all the same (it goes by the static member id the state file records).
   */
  @Test
  void statusAttributesAQuicklyRestartedInventoryByItsStaticMemberId() throws Exception {
    JvmInstance inventory = (JvmInstance) stack.instances().stream().filter(i -> i.name().equals("inventory")).findFirst().orElseThrow();
    String memberId = io.hoptrace.launcher.groups.GroupMembers.staticMemberId(inventory).orElseThrow();
    long before = inventory.pid();
    try (Admin admin = TopicSetup.admin(kafka(), KafkaClientSecurity.fromEnv(Env.of(env)))) {
      MemberDescription[] m = {null};
      Poll.until("inventory holding partitions", Duration.ofSeconds(90), Duration.ofMillis(250),
          () -> (m[0] = holding(admin, memberId)) != null);
      String firstRun = m[0].consumerId();
      inventory.kill();
      inventory.start();
      // what the supervisor records of an instance it starts (its pid now)
      StackState.read(config.stateFile()).orElseThrow().instance(inventory, Duration.ZERO);
      assertThat(inventory.pid()).isNotEqualTo(before);
      // rejoined (a new member id for the same static id): the coordinator shows the client.id of the dead process
      Poll.until("the restarted inventory back in its group", Duration.ofSeconds(90), Duration.ofMillis(250),
          () -> (m[0] = holding(admin, memberId)) != null && !m[0].consumerId().equals(firstRun));
      org.junit.jupiter.api.Assumptions.assumeTrue(m[0].clientId().endsWith("-" + before),
          "the restart took longer than inventory's session: the coordinator took the new client.id " + m[0].clientId());
    }

    Pattern held = Pattern.compile("(?m)^  inventory +inventory +running +" + inventory.pid() + " .*\\n(?:               .*\\n)*?"
        + "               partitions: .*stock-reductions \\d");
    String[] out = {""};
    Poll.until("status to show inventory's partitions under its new pid", Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
      Cli.Result status = Cli.run(env, "status");
      out[0] = status.out();
      return held.matcher(status.out()).find();
    });
    assertThat(out[0]).as(out[0]).doesNotContain("(" + memberId + ")");
  }

  /** The member of group inventory under this static member id, if it holds partitions. */
  private static MemberDescription holding(Admin admin, String staticId) throws Exception {
    return admin.describeConsumerGroups(List.of("inventory")).all().get(30, TimeUnit.SECONDS).get("inventory").members().stream()
        .filter(x -> x.groupInstanceId().equals(java.util.Optional.of(staticId)) && !x.assignment().topicPartitions().isEmpty())
        .findFirst().orElse(null);
  }

  @Test
  void anOrderOnTheSecondOrderInstanceIsTracedIntoClickHouse() throws Exception {
    JvmInstance order2 = (JvmInstance) stack.instances().stream().filter(i -> i.name().equals("order-2")).findFirst().orElseThrow();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(order2.url() + "/order-product"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"laptop\", \"quantity\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isIn(201, 202);
    Matcher m = Pattern.compile("\"traceId\"\\s*:\\s*\"([0-9a-f]{32})\"").matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    String traceId = m.group(1);
    String db = config.clickHouse().database();
    Poll.until("the order's trace in ClickHouse", Duration.ofSeconds(120), Duration.ofMillis(500), () ->
        count("SELECT count() FROM " + db + ".otel_traces WHERE TraceId = '" + traceId + "' AND ServiceName = 'order' AND SpanKind = 'Server'") == 1
        && count("SELECT count() FROM " + db + ".otel_traces WHERE TraceId = '" + traceId + "' AND ServiceName = 'inventory'"
            + " AND SpanName = 'stock-reductions process'") == 1);
  }

  /**
   * Last: kill -9 one of the three brokers (a controller voter too). Two replicas remain, as
   * min.insync.replicas asks: an order still completes; the broker comes back into the cluster.
   */
  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  void ordersCompleteWithOneOfThreeBrokersKilled() throws Exception {
    io.hoptrace.kafka.embedded.EmbeddedKafka kafka = stack.instances().stream()
        .filter(i -> i instanceof io.hoptrace.launcher.KafkaInstance).map(i -> (io.hoptrace.launcher.KafkaInstance) i)
        .findFirst().orElseThrow().embedded().orElseThrow();
    long pid = kafka.pids().get(2);
    kafka.killNode(3);
    Poll.until("broker 3 gone", Duration.ofSeconds(30), Duration.ofMillis(200), () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    JvmInstance order = (JvmInstance) stack.instances().stream().filter(i -> i.name().equals("order")).findFirst().orElseThrow();
    HttpClient http = HttpClient.newHttpClient();
    // until the controller fences the dead broker (its session timeout) and moves its partitions' leaders,
    // an order whose partition it led is refused with 503 ("certainly not created"): a client retries it
    String[] body = {""};
    Poll.until("an order accepted with a broker down", Duration.ofSeconds(90), Duration.ofMillis(500), () -> {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(order.url() + "/order-product"))
          .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"laptop\", \"quantity\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isIn(201, 202, 503);
      body[0] = r.body();
      return r.statusCode() != 503;
    });
    Matcher id = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"").matcher(body[0]);
    assertThat(id.find()).as(body[0]).isTrue();
    // leaders move off the dead broker within its session timeout: the order ends final either way
    Poll.until("the order final with a broker down", Duration.ofSeconds(120), Duration.ofMillis(500), () -> {
      HttpResponse<String> o = http.send(HttpRequest.newBuilder(URI.create(order.url() + "/orders/" + id.group(1)))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return o.statusCode() == 200 && o.body().matches("(?s).*\"status\"\\s*:\\s*\"(CONFIRMED|REJECTED)\".*");
    });
    kafka.restartNode(3);
    try (Admin admin = TopicSetup.admin(kafka(), KafkaClientSecurity.fromEnv(Env.of(env)))) {
      Poll.until("broker 3 back in the cluster", Duration.ofSeconds(60), Duration.ofMillis(500),
          () -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size() == 3);
    }
  }

  private static String kafka() {
    return StackState.read(config.stateFile()).orElseThrow().kafka().orElseThrow();
  }

  private static long count(String sql) {
    return TestStacks.count(config, sql);
  }
}
