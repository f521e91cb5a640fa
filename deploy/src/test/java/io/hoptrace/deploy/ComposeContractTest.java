package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Dockerfiles keep the contract ports and variables (each documented in
 * docs/configuration.md) and point at real build artifacts.
 */
class ComposeContractTest {
  static final Map<String, List<String>> CONTRACT_PORTS = new LinkedHashMap<>();

  static {
    CONTRACT_PORTS.put("kafka", List.of("127.0.0.1:9092:9092"));
    CONTRACT_PORTS.put("clickhouse", List.of("127.0.0.1:8123:8123", "127.0.0.1:9000:9000"));
    CONTRACT_PORTS.put("collector", List.of("127.0.0.1:4317:4317", "127.0.0.1:4318:4318", "127.0.0.1:13133:13133", "127.0.0.1:16686:16686"));
    CONTRACT_PORTS.put("inventory", List.of("127.0.0.1:8010:8010"));
    CONTRACT_PORTS.put("order", List.of("127.0.0.1:8000:8000"));
    CONTRACT_PORTS.put("grafana", List.of("127.0.0.1:3000:3000"));
  }

  /** Variables of the third-party images: theirs, not ours to document. */
  static final List<String> IMAGE_VARIABLE_PREFIXES = List.of("KAFKA_", "CLUSTER_ID", "CLICKHOUSE_DEFAULT_ACCESS", "GF_");

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> services() {
    return (Map<String, Map<String, Object>>) Repo.yaml("docker-compose.yml").get("services");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> env(String service) {
    return (Map<String, Object>) services().get(service).get("environment");
  }

  /** The services of a profile ({@code docker compose --profile NAME}), which a plain {@code up} leaves out. */
  static List<String> inProfile(String profile) {
    List<String> out = new ArrayList<>();
    services().forEach((name, service) -> {
      Object profiles = service.get("profiles");
      if (profiles instanceof List<?> l && l.contains(profile)) {
        out.add(name);
      }
    });
    return out;
  }

  @Test
  void everyServiceOfTheSystemIsThereOnItsContractPorts() {
    List<String> plain = services().entrySet().stream().filter(e -> e.getValue().get("profiles") == null).map(Map.Entry::getKey).toList();
    assertThat(plain).containsExactlyInAnyOrderElementsOf(CONTRACT_PORTS.keySet());
    CONTRACT_PORTS.forEach((service, ports) ->
        assertThat(services().get(service).get("ports")).as(service).isEqualTo(ports));
  }

  @Test
  void servicesTalkToEachOtherThroughTheContractPortsAndNames() {
    for (String s : List.of("collector", "inventory", "order")) {
      assertThat(env(s).get("OTEL_EXPORTER_OTLP_ENDPOINT")).as(s).isEqualTo("http://collector:4318");
      assertThat(env(s).get("OTEL_SERVICE_NAME")).as(s).isEqualTo(s);
      assertThat(env(s).get("KAFKA_BOOTSTRAP_SERVERS")).as(s).isEqualTo("kafka:19092");
    }
    assertThat(env("collector")).containsEntry("CLICKHOUSE_URL", "http://clickhouse:8123").containsEntry("CLICKHOUSE_DATABASE", "otel");
    assertThat(env("order")).containsEntry("INVENTORY_URL", "http://inventory:8010").containsEntry("ORDER_HTTP_PORT", 8000);
    assertThat(env("inventory")).containsEntry("INVENTORY_HTTP_PORT", 8010);
    // Kafka's internal listener is the one the services use; its host listener is the contract port
    assertThat(String.valueOf(env("kafka").get("KAFKA_ADVERTISED_LISTENERS"))).contains("INTERNAL://kafka:19092").contains("127.0.0.1:9092");
    assertThat(String.valueOf(env("clickhouse").get("CLICKHOUSE_PASSWORD"))).as("ClickHouse has a password").isNotBlank();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theThreeBrokersProfileAddsTwoBrokersThatEveryClientWaitsFor() {
    assertThat(inProfile("three-brokers")).containsExactly("kafka-2", "kafka-3");
    assertThat(services().keySet()).as("nothing else hides in a profile")
        .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(CONTRACT_PORTS.keySet().stream(),
            java.util.stream.Stream.of("kafka-2", "kafka-3")).toList());
    int hostPort = 9094;
    for (String broker : List.of("kafka-2", "kafka-3")) {
      Map<String, Object> env = env(broker);
      int node = Integer.parseInt(broker.substring(6));
      assertThat(env).as(broker).containsEntry("KAFKA_NODE_ID", node).containsEntry("KAFKA_PROCESS_ROLES", "broker")
          .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", env("kafka").get("KAFKA_CONTROLLER_QUORUM_VOTERS"))
          .containsEntry("KAFKA_MESSAGE_MAX_BYTES", env("kafka").get("KAFKA_MESSAGE_MAX_BYTES"))
          .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
      // reachable from the host (clients get every broker's address from the metadata) and inside the network
      assertThat(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")))
          .isEqualTo("HOST://127.0.0.1:" + hostPort + ",INTERNAL://" + broker + ":19092");
      assertThat(services().get(broker).get("ports")).as(broker).isEqualTo(List.of("127.0.0.1:" + hostPort + ":" + hostPort));
      assertThat((List<String>) services().get(broker).get("volumes")).as(broker + " keeps its own data")
          .containsExactly(broker + "-data:/var/lib/kafka/data");
      hostPort++;
    }
    // the clients start once every broker of the profile is healthy, so that their topics get three replicas;
    // without the profile the dependency is not required
    for (String client : List.of("collector", "inventory", "order")) {
      Map<String, Object> dependsOn = (Map<String, Object>) services().get(client).get("depends_on");
      for (String broker : List.of("kafka-2", "kafka-3")) {
        assertThat((Map<String, Object>) dependsOn.get(broker)).as(client + " on " + broker)
            .containsEntry("condition", "service_healthy").containsEntry("required", false);
      }
      assertThat(env(client)).containsEntry("HOPTRACE_KAFKA_REPLICATION_FACTOR", "${HOPTRACE_KAFKA_REPLICATION_FACTOR:-}")
          .containsEntry("HOPTRACE_KAFKA_MIN_INSYNC_REPLICAS", "${HOPTRACE_KAFKA_MIN_INSYNC_REPLICAS:-}");
    }
    // Kafka's own topics follow the same variable (1 without the profile)
    for (String broker : List.of("kafka", "kafka-2", "kafka-3")) {
      assertThat(env(broker)).as(broker).containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "${HOPTRACE_KAFKA_REPLICATION_FACTOR:-1}")
          .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "${HOPTRACE_KAFKA_MIN_INSYNC_REPLICAS:-1}");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void clickHouseRunsWithPasswordsAndLeastPrivilegeUsers() {
    assertThat((List<String>) services().get("clickhouse").get("volumes"))
        .contains("./deploy/clickhouse/users.d/hoptrace.xml:/etc/clickhouse-server/users.d/hoptrace.xml:ro");
    String users = Repo.read("deploy/clickhouse/users.d/hoptrace.xml");
    assertThat(env("collector")).containsEntry("CLICKHOUSE_INGEST_USER", "hoptrace_writer").containsEntry("CLICKHOUSE_QUERY_USER", "hoptrace_reader");
    for (String user : List.of("hoptrace_writer", "hoptrace_reader")) {
      assertThat(users).contains("<" + user + ">");
    }
    // the server reads each service user's password from the same variable the collector is given
    for (String variable : List.of("CLICKHOUSE_INGEST_PASSWORD", "CLICKHOUSE_QUERY_PASSWORD")) {
      assertThat(users).contains("<password from_env=\"" + variable + "\"/>");
      assertThat(String.valueOf(env("clickhouse").get(variable))).as(variable).startsWith("${" + variable + ":-")
          .isEqualTo(String.valueOf(env("collector").get(variable)));
    }
    assertThat(env("collector").get("CLICKHOUSE_PASSWORD")).isEqualTo(env("clickhouse").get("CLICKHOUSE_PASSWORD"));
  }

  @Test
  void theCollectorsEndpointsAreSecuredOutOfTheBox() {
    // OTLP: a bearer token with a default, overridable from the shell; every exporter sends the same one
    String token = String.valueOf(env("collector").get("COLLECTOR_AUTH_TOKEN"));
    assertThat(token).matches("\\$\\{COLLECTOR_AUTH_TOKEN:-[^}\\s]+}");
    for (String s : List.of("collector", "inventory", "order")) {
      assertThat(env(s).get("OTEL_EXPORTER_OTLP_HEADERS")).as(s).isEqualTo("Authorization=Bearer%20" + token);
    }
    // the explorer: basic authentication (a browser asks for it), user:password with a default
    assertThat(String.valueOf(env("collector").get("COLLECTOR_QUERY_BASIC_AUTH")))
        .matches("\\$\\{COLLECTOR_QUERY_BASIC_AUTH:-[^:}\\s]+:[^}\\s]+}");
    // the health check (and the orchestrator's probes) need no credentials: the health port stays open
    assertThat(String.valueOf(services().get("collector").get("healthcheck"))).contains("13133").doesNotContain("Authorization");
  }

  @Test
  void everyVariableWeSetIsDocumentedInTheConfigurationReference() {
    String reference = Repo.read("docs/configuration.md");
    List<String> undocumented = new ArrayList<>();
    for (String service : services().keySet()) {
      Map<String, Object> env = env(service);
      if (env == null) {
        continue;
      }
      for (String name : env.keySet()) {
        if (IMAGE_VARIABLE_PREFIXES.stream().anyMatch(name::startsWith) || name.equals("<<")) {
          continue;
        }
        if (!reference.contains("`" + name + "`")) {
          undocumented.add(service + ": " + name);
        }
      }
    }
    assertThat(undocumented).as("variables set in docker-compose.yml but missing from docs/configuration.md").isEmpty();
  }

  /** The services built from this repository: compose service, Maven module, jar. */
  static final List<List<String>> BUILT = List.of(
      List.of("collector", "collector/app", "collector.jar"),
      List.of("inventory", "inventory-verticle", "inventory-verticle.jar"),
      List.of("order", "order-verticle", "order-verticle.jar"));

  /** An exact version: three or more numbers (4.1.1, 26.8.20.9, 17.0.19_10), an optional suffix; never a floating tag. */
  static final Pattern EXACT_TAG = Pattern.compile("[^:@\\s]+:\\d+\\.\\d+\\.\\d+([._]\\d+)*(-[a-z0-9.-]+)?");

  @Test
  void everyImageIsPinnedToAnExactVersion() throws Exception {
    List<String> images = new ArrayList<>();
    services().forEach((name, service) -> {
      if (service.get("image") != null) {
        images.add(name + ": " + service.get("image"));
      }
    });
    for (List<String> built : BUILT) {
      Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(Files.readString(Repo.root().resolve(built.get(1) + "/Dockerfile")));
      while (from.find()) {
        images.add(built.get(1) + "/Dockerfile: " + from.group(1));
      }
    }
    assertThat(images).hasSize(3 + inProfile("three-brokers").size() + 2 * BUILT.size());
    for (String image : images) {
      assertThat(image.substring(image.indexOf(": ") + 2)).as(image).matches(EXACT_TAG);
    }
  }

  @Test
  void everyServiceImageBuildsFromTheSourcesInTwoStages() throws Exception {
    for (List<String> built : BUILT) {
      String service = built.get(0);
      String module = built.get(1);
      String jar = built.get(2);
      @SuppressWarnings("unchecked")
      Map<String, Object> build = (Map<String, Object>) services().get(service).get("build");
      assertThat(build).as(service + " builds from the repository root").containsEntry("context", ".")
          .containsEntry("dockerfile", module + "/Dockerfile");
      String dockerfile = Files.readString(Repo.root().resolve(module + "/Dockerfile"));
      List<String> stages = new ArrayList<>();
      Matcher from = Pattern.compile("(?m)^FROM\\s+(.+)$").matcher(dockerfile);
      while (from.find()) {
        stages.add(from.group(1).strip());
      }
      assertThat(stages).as(service + " stages").hasSize(2);
      assertThat(stages.get(0)).as(service + ": a Maven + Temurin 17 build stage").matches("maven:\\S+-eclipse-temurin-17 AS build");
      assertThat(stages.get(1)).as(service + ": a JRE 17 runtime").matches("eclipse-temurin:17\\S*-jre\\S*");
      // only this module and what it needs
      assertThat(dockerfile).as(service).containsPattern("(?m)^RUN .*mvn .*package .*-DskipTests .*-pl " + Pattern.quote(module) + " -am\\s*$");
      assertThat(dockerfile).as(service).contains("COPY --from=build /src/" + module + "/target/lib/ lib/")
          .contains("COPY --from=build /src/" + module + "/target/" + jar + " " + jar)
          .contains("\"-jar\", \"" + jar + "\"");
      Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)\\s*$").matcher(dockerfile);
      assertThat(user.find()).as(service + " runs as a non-root user").isTrue();
      assertThat(user.group(1)).as(service + " user").doesNotMatch("(root|0)(:.*)?");

      // what the build stage copies is what the reactor's package of that module produces (built before this module)
      Path target = Repo.root().resolve(module + "/target");
      assertThat(target.resolve(jar)).as(service + ": " + jar + " built by mvn package").exists();
      try (var libs = Files.list(target.resolve("lib"))) {
        assertThat(libs.filter(p -> p.toString().endsWith(".jar")).count()).as(service + " dependencies").isGreaterThan(5);
      }
      try (var file = new java.util.jar.JarFile(target.resolve(jar).toFile())) {
        var attributes = file.getManifest().getMainAttributes();
        assertThat(attributes.getValue("Main-Class")).as(service + " Main-Class").isNotBlank();
        assertThat(attributes.getValue("Class-Path")).as(service + " Class-Path for java -jar").contains("lib/");
      }
    }
  }

  @Test
  void theBuildContextLeavesOutBuildOutputRunDataAndHistory() {
    List<String> ignored = Repo.read(".dockerignore").lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertThat(ignored).contains(".git", "**/target/", ".data/", "**/node_modules/");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theServicesHealthchecksNeedNoShellFeatureDashLacks() {
    for (List<String> built : BUILT) {
      List<String> test = (List<String>) ((Map<String, Object>) services().get(built.get(0)).get("healthcheck")).get("test");
      // CMD-SHELL runs /bin/sh -c, which is dash on the Ubuntu-based Temurin image: no /dev/tcp there
      assertThat(test.get(0)).as(built.get(0) + " healthcheck form").isEqualTo("CMD");
      assertThat(test.get(1)).as(built.get(0) + " healthcheck program").isEqualTo("bash");
    }
  }
}
