package io.hoptrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.config.Env;
import io.hoptrace.launcher.LaunchConfig;
import io.hoptrace.launcher.Port;
import io.hoptrace.launcher.Progress;
import io.hoptrace.launcher.Role;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.json.Json;
import io.hoptrace.process.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL=grpc}: inventory and order, from their packaged jars, export to the
 * collector's OTLP/gRPC port only (the HTTP port is never named to them, and an HTTP/1.1 export to
 * the gRPC port is refused), and an order's five-span trace lands in ClickHouse.
 */
class GrpcExportTraceTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path data;

  @Test
  void anOrdersTraceArrivesInClickHouseOverGrpc() throws Exception {
    LaunchConfig config = LaunchConfig.privateStack(TestStacks.repoRoot(), data,
        Env.of(Map.of("COLLECTOR_SELF_METRICS_INTERVAL", "0")));
    try (Stack stack = new Stack(config, Progress.SILENT)) {
      stack.start(List.of(Role.KAFKA, Role.CLICKHOUSE, Role.COLLECTOR));
      Map<String, String> grpc = Map.of(
          "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
          "OTEL_EXPORTER_OTLP_ENDPOINT", stack.receiver().local(Port.OTLP_GRPC),
          "OTEL_METRICS_EXPORTER", "none");
      stack.start(Role.INVENTORY, grpc);
      String order = stack.start(Role.ORDER, grpc).url();

      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(order + "/order-product"))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"productId\": \"keyboard\", \"quantity\": 1}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      String traceId = Json.object(r.body()).string("traceId");

      List<String> spans = new ArrayList<>();
      Poll.until("five spans of trace " + traceId + " in otel_traces", Duration.ofSeconds(60), Duration.ofMillis(300), () -> {
        spans.clear();
        spans.addAll(spans(stack.clickHouse().settings(), traceId));
        return spans.size() >= 5;
      });
      assertThat(spans).containsExactlyInAnyOrder(
          "order Server POST /order-product",
          "order Producer stock-reductions publish",
          "inventory Consumer stock-reductions process",
          "inventory Producer stock-reduction-results publish",
          "order Consumer stock-reduction-results process");
    }
  }

  static List<String> spans(ClickHouseSettings ch, String traceId) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(ch.jdbcUrl(), ch.jdbcProperties());
        PreparedStatement ps = c.prepareStatement("SELECT ServiceName, SpanKind, SpanName FROM " + ch.database()
            + ".otel_traces WHERE TraceId = ?")) {
      ps.setString(1, traceId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
      }
    }
    return out;
  }
}
