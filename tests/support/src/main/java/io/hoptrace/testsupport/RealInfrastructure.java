package io.hoptrace.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: resolves an {@link Infrastructure} parameter (constructor, lifecycle or test
 * method) backed by a real Kafka broker and a real ClickHouse. They start once per test JVM on free
 * ports, or are borrowed from {@code ./stack test}, which starts one pair for the whole run and
 * passes {@code HOPTRACE_TEST_KAFKA_BOOTSTRAP_SERVERS} and {@code HOPTRACE_TEST_CLICKHOUSE_URL}. They
 * never touch the ports of a running {@code ./stack up}.
 *
 * <pre>{@code
 * @ExtendWith(RealInfrastructure.class)
 * class OrderFlowIT {
 *   @Test void placesAnOrder(Infrastructure infra) { ... infra.kafkaBootstrapServers() ... }
 * }
 * }</pre>
 */
public final class RealInfrastructure implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RealInfrastructure.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Infrastructure.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // the root store lives as long as the test JVM's engine run: started once, closed at the end
    return context.getRoot().getStore(NS)
        .getOrComputeIfAbsent(Infrastructure.class, k -> Infrastructure.startOrAttach(), Infrastructure.class);
  }
}
