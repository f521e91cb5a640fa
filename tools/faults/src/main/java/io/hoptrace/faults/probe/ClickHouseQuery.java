package io.hoptrace.faults.probe;

import io.hoptrace.clickhouse.ClickHouseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Read-only queries of the suite's ClickHouse over HTTP, as text (TSV). */
public final class ClickHouseQuery {
  private final ClickHouseSettings settings;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public ClickHouseQuery(ClickHouseSettings settings) {
    this.settings = settings;
  }

  /** The rows of a query, one string per line. */
  public List<String> lines(String sql) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(settings.url() + "/?database="
          + URLEncoder.encode(settings.database(), StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(120))
          .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("ClickHouse answered " + r.statusCode() + " to " + sql + ": " + r.body());
      }
      String body = r.body().strip();
      return body.isEmpty() ? List.of() : List.of(body.split("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException("ClickHouse query failed: " + sql, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A single number. */
  public long count(String sql) {
    List<String> l = lines(sql);
    return l.isEmpty() ? 0 : Long.parseLong(l.get(0).trim());
  }

  /** SQL string literal. */
  public static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
