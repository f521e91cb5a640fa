package io.hoptrace.stack;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.process.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the tests of whole stacks share: the environment of a stack as {@code ./stack up} starts it
 * on free ports with its own data folder (so it never meets a stack someone else runs), a silent
 * console, SQL against the stack's ClickHouse, and removing the data folder afterwards.
 */
final class TestStacks {
  /** Every port a one-instance stack listens on. */
  static final List<String> PORTS = List.of("HOPTRACE_KAFKA_PORT", "HOPTRACE_KAFKA_CONTROLLER_PORT",
      "HOPTRACE_CLICKHOUSE_HTTP_PORT", "HOPTRACE_CLICKHOUSE_TCP_PORT", "COLLECTOR_OTLP_GRPC_PORT",
      "COLLECTOR_OTLP_HTTP_PORT", "COLLECTOR_HEALTH_PORT", "COLLECTOR_QUERY_PORT", "INVENTORY_HTTP_PORT",
      "ORDER_HTTP_PORT");

  private TestStacks() {}

  /** The repository root: the services and the collector run from their modules' jars under it. */
  static Path repoRoot() {
    return Path.of(System.getProperty("hoptrace.repo.root", Path.of("..", "..").toAbsolutePath().normalize().toString()));
  }

  /** A new temporary data folder, named after the test. */
  static Path newDataDir(String name) {
    try {
      return Files.createTempDirectory("hoptrace-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The environment of a stack on free ports with {@code data} as its data folder (mutable: tests add to it). */
  static Map<String, String> env(Path data) {
    Map<String, String> env = new HashMap<>();
    env.put("HOPTRACE_DATA_DIR", data.toString());
    env.put("HOPTRACE_HOME", repoRoot().toString());
    for (String port : PORTS) {
      env.put(port, String.valueOf(Ports.freePort()));
    }
    return env;
  }

  /** A console that prints nowhere. */
  static Console silentConsole() {
    return new Console(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
  }

  /** Rows of a query against the stack's ClickHouse, in result order, each as column label → value. */
  static List<Map<String, String>> rows(StackConfig config, String sql, String... params) {
    ClickHouseSettings ch = config.clickHouse();
    List<Map<String, String>> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(ch.jdbcUrl(), ch.jdbcProperties()); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Map<String, String> r = new HashMap<>();
          for (int i = 1; i <= n; i++) {
            r.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
          }
          out.add(r);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The single number a {@code SELECT count() ...} answers. */
  static long count(StackConfig config, String sql, String... params) {
    List<Map<String, String>> rows = rows(config, sql, params);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
    }
    return Long.parseLong(rows.get(0).values().iterator().next());
  }

  /** Removes a stopped stack's data folder (Kafka logs and ClickHouse parts: hundreds of MB per test class). */
  static void deleteDataDir(Path data) {
    if (data == null || !Files.exists(data)) {
      return;
    }
    try (Stream<Path> all = Files.walk(data)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a folder left in the temporary directory is harmless; say so rather than fail the test
      System.err.println("could not remove " + data + ": " + e);
    }
  }
}
