package io.hoptrace.collector.query.clickhouse;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Read-only ClickHouse queries over its HTTP interface, asynchronously (nothing blocks the event loop).
 *
 * <p>Values never enter the SQL text: they travel as ClickHouse query parameters ({@code {name:Type}}
 * in the SQL, {@code param_name=value} on the URL), which the server parses as values of that type.
 * Every query also runs with {@code readonly=2}, so even a mistake in our SQL cannot change data.
 */
public final class ClickHouseHttp {
  private final WebClient client;
  private final ClickHouseSettings settings;
  private final Duration timeout;

  public ClickHouseHttp(Vertx vertx, ClickHouseSettings settings, Duration timeout) {
    WebClientOptions options = new WebClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout(5_000)
        .setUserAgent("hoptrace-query");
    // https:// turns TLS on (host name verified); a private CA's certificate replaces the JVM's CAs
    settings.tlsCaFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
    this.client = WebClient.create(vertx, options);
    this.settings = settings;
    this.timeout = timeout;
  }

  /** Rows of a {@code SELECT}, one JSON object per row (64-bit integers as JSON numbers). */
  public Future<List<JsonObject>> select(String sql, Map<String, String> params) {
    HttpRequest<Buffer> request = client.postAbs(settings.url() + "/")
        .putHeader("X-ClickHouse-User", settings.user())
        .putHeader("X-ClickHouse-Key", settings.password())
        .addQueryParam("database", settings.database())
        .addQueryParam("readonly", "2")
        .addQueryParam("max_execution_time", String.valueOf(Math.max(1, timeout.toSeconds())))
        .addQueryParam("default_format", "JSONEachRow")
        .addQueryParam("output_format_json_quote_64bit_integers", "0")
        .addQueryParam("output_format_json_quote_denormals", "0")
        .timeout(timeout.toMillis() + 2_000);
    params.forEach((name, value) -> request.addQueryParam("param_" + name, value));
    return request.sendBuffer(Buffer.buffer(sql))
        .recover(e -> Future.failedFuture(new ClickHouseException(
            "ClickHouse at " + settings.url() + " is not reachable: " + e.getMessage(), e)))
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture(new ClickHouseException("ClickHouse answered " + response.statusCode() + ": "
                + firstLine(response.bodyAsString()), null));
          }
          return Future.succeededFuture(rows(response.body()));
        });
  }

  /** The first column of the first row as a number; empty when there is no row or the value is NULL/NaN. */
  public Future<java.util.OptionalDouble> number(String sql, Map<String, String> params) {
    return select(sql, params).map(rows -> {
      if (rows.isEmpty() || rows.get(0).isEmpty()) {
        return java.util.OptionalDouble.empty();
      }
      Object v = rows.get(0).getValue(rows.get(0).fieldNames().iterator().next());
      if (v instanceof Number n && !Double.isNaN(n.doubleValue()) && !Double.isInfinite(n.doubleValue())) {
        return java.util.OptionalDouble.of(n.doubleValue());
      }
      if (v == null) {
        return java.util.OptionalDouble.empty();
      }
      throw new ClickHouseException("the query returned " + v + " (" + v.getClass().getSimpleName() + "), not a number", null);
    });
  }

  public void close() {
    client.close();
  }

  private static List<JsonObject> rows(Buffer body) {
    List<JsonObject> out = new ArrayList<>();
    if (body == null) {
      return out;
    }
    for (String line : body.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        out.add(new JsonObject(line));
      }
    }
    return out;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
