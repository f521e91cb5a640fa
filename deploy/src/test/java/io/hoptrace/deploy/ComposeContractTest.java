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
  static final List<String> IMAGE_VARIABLE_PREFIXES = List.of("KAFKA_", "CLICKHOUSE_DEFAULT_ACCESS", "GF_");

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> services() {
    return (Map<String, Map<String, Object>>) Repo.yaml("docker-compose.yml").get("services");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> env(String service) {
    return (Map<String, Object>) services().get(service).get("environment");
  }

  @Test
  void everyServiceOfTheSystemIsThereOnItsContractPorts() {
    assertThat(services().keySet()).containsExactlyInAnyOrderElementsOf(CONTRACT_PORTS.keySet());
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

  @Test
  void everyDockerfileCopiesArtifactsTheBuildProduced() throws Exception {
    for (String service : List.of("collector", "inventory", "order")) {
      String context = String.valueOf(services().get(service).get("build")).replaceFirst("^\\./", "");
      Path dir = Repo.root().resolve(context);
      Path dockerfile = dir.resolve("Dockerfile");
      assertThat(dockerfile).as(service + " Dockerfile").exists();
      List<String> sources = new ArrayList<>();
      Matcher m = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+\\S+\\s*$").matcher(Files.readString(dockerfile));
      while (m.find()) {
        sources.add(m.group(1));
      }
      String jarName = sources.stream().filter(src -> src.matches("target/[^/]+\\.jar")).findFirst()
          .map(src -> src.substring("target/".length())).orElseThrow(() -> new AssertionError(service + " copies no target/*.jar"));
      assertThat(sources).as(service + " copies its jar and its lib folder").contains("target/lib/", "target/" + jarName);
      for (String source : sources) {
        Path artifact = dir.resolve(source);
        assertThat(artifact).as(service + ": " + source + " (built by mvn package)").exists();
      }
      try (var libs = Files.list(dir.resolve("target/lib"))) {
        assertThat(libs.filter(p -> p.toString().endsWith(".jar")).count()).as(service + " dependencies").isGreaterThan(5);
      }
      String entrypoint = Files.readString(dockerfile);
      assertThat(entrypoint).contains("\"-jar\", \"" + jarName + "\"");
      try (var jar = new java.util.jar.JarFile(dir.resolve("target/" + jarName).toFile())) {
        var attributes = jar.getManifest().getMainAttributes();
        assertThat(attributes.getValue("Main-Class")).as(service + " Main-Class").isNotBlank();
        assertThat(attributes.getValue("Class-Path")).as(service + " Class-Path for java -jar").contains("lib/");
      }
    }
  }
}
