package io.hoptrace.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The rooms of the house, as compile errors: a module cannot import what it does not depend on, and
 * these rules keep anyone from adding the dependency. Each failure names the rule and the path of
 * dependencies that breaks it.
 */
class ModuleRulesTest {
  private static final Set<String> LIBS = Set.of("config", "process", "telemetry", "web");
  private static final Set<String> CONTRACTS = Set.of("kafka-topics", "clickhouse-schema");
  private static final Set<String> EMBEDDED = Set.of("kafka-embedded", "clickhouse-embedded");
  private static final Set<String> SERVICES = Set.of("order-verticle", "inventory-verticle");
  private static final Set<String> COLLECTOR = Set.of("collector-otlp", "collector-buffer", "collector-receiver",
      "collector-ingester", "collector-query", "collector");
  private static final Set<String> TOOLS = Set.of("launcher", "load", "cli", "bench", "faults");
  private static final Set<String> TESTS = Set.of("test-support", "services-it", "architecture-tests");
  private static final Set<String> DEPLOY = Set.of("deploy");
  private static final Set<String> WRITE_PATH = Set.of("collector-otlp", "collector-buffer", "collector-receiver", "collector-ingester");

  private final ModuleGraph graph = ModuleGraph.read(Path.of(System.getProperty("hoptrace.repo.root")));
  private final List<String> violations = new ArrayList<>();

  @Test
  void everyModuleBelongsToARoom() {
    Set<String> unknown = new TreeSet<>();
    graph.modules().values().stream().filter(m -> !m.packaging().equals("pom")).forEach(m -> {
      if (!in(m.artifactId(), LIBS, CONTRACTS, EMBEDDED, SERVICES, COLLECTOR, TOOLS, TESTS, DEPLOY)) {
        unknown.add(m.artifactId() + " (" + m.folder() + ")");
      }
    });
    assertThat(unknown).as("modules no rule knows about: add each to its room in ModuleRulesTest").isEmpty();
  }

  @Test
  void productionArtifactsNeverCarryTheEmbeddedInfrastructure() {
    for (String from : union(LIBS, CONTRACTS, SERVICES, COLLECTOR)) {
      forbid("a service, the collector and their libraries never carry the embedded Kafka or ClickHouse", from, EMBEDDED);
    }
    assertNoViolations();
  }

  @Test
  void theIngesterAndTheReceiverMeetOnlyInTheBufferContract() {
    forbid("the ingester cannot see the receiver (they share collector-buffer)", "collector-ingester", Set.of("collector-receiver"));
    forbid("the receiver cannot see the ingester (they share collector-buffer)", "collector-receiver", Set.of("collector-ingester"));
    assertNoViolations();
  }

  @Test
  void theQuerySideCannotSeeTheWritePath() {
    forbid("query reads ClickHouse only: it cannot see the write path", "collector-query", WRITE_PATH);
    assertNoViolations();
  }

  @Test
  void theProtocolKnowsNothingOfKafkaOrClickHouse() {
    forbid("collector-otlp is the protocol alone", "collector-otlp", union(CONTRACTS, EMBEDDED, COLLECTOR));
    assertNoViolations();
  }

  @Test
  void theServicesKnowNothingOfTheCollectorNorOfEachOther() {
    for (String service : SERVICES) {
      forbid("a service exports OTLP; it never links the collector", service, COLLECTOR);
    }
    forbid("order talks to inventory over Kafka and HTTP only", "order-verticle", Set.of("inventory-verticle"));
    forbid("inventory talks to order over Kafka only", "inventory-verticle", Set.of("order-verticle"));
    assertNoViolations();
  }

  @Test
  void theToolsDriveTheSystemFromOutside() {
    for (String tool : TOOLS) {
      forbid("tools run the services and the collector from their packaged jars and talk to them over the wire; "
          + "they link them in test scope at most", tool, union(SERVICES, COLLECTOR));
    }
    assertNoViolations();
  }

  @Test
  void dependenciesPointOneWay() {
    for (String lib : LIBS) {
      forbid("libraries never depend on what uses them", lib, union(SERVICES, COLLECTOR, TOOLS, TESTS, DEPLOY));
    }
    for (String contract : CONTRACTS) {
      forbid("the Kafka and ClickHouse contracts never depend on what uses them", contract, union(SERVICES, COLLECTOR, TOOLS, TESTS, DEPLOY));
    }
    for (String from : union(LIBS, CONTRACTS, EMBEDDED, SERVICES, COLLECTOR)) {
      forbid("nothing that ships depends on the tools or the test modules", from, union(TOOLS, TESTS, DEPLOY));
    }
    assertNoViolations();
  }

  private void forbid(String rule, String from, Set<String> forbidden) {
    graph.module(from);
    for (String to : forbidden) {
      graph.path(from, to).ifPresent(path -> violations.add(rule + ": " + String.join(" -> ", path)));
    }
  }

  private void assertNoViolations() {
    assertThat(violations).as("module rules broken (a dependency in a pom.xml; remove it or move the code to the module it belongs to)").isEmpty();
  }

  @SafeVarargs
  private static boolean in(String artifact, Set<String>... rooms) {
    for (Set<String> room : rooms) {
      if (room.contains(artifact)) {
        return true;
      }
    }
    return false;
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... rooms) {
    Set<String> all = new TreeSet<>();
    for (Set<String> room : rooms) {
      all.addAll(room);
    }
    return all;
  }
}
