package io.hoptrace.collector.query;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.collector.query.alerts.AlertRules;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The real query role on a free port over a test database, for tests; closing stops it. */
public final class RunningExplorer implements AutoCloseable {
  private final Vertx vertx;
  private final QueryRole role;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RunningExplorer(Vertx vertx, QueryRole role) {
    this.vertx = vertx;
    this.role = role;
  }

  public static RunningExplorer start(ClickHouseSettings db, AlertRules rules) {
    return start(db, rules, 0);
  }

  public static RunningExplorer start(ClickHouseSettings db, AlertRules rules, int port) {
    return start(db, rules, port, io.hoptrace.web.HttpAuth.open());
  }

  public static RunningExplorer start(ClickHouseSettings db, AlertRules rules, int port, io.hoptrace.web.HttpAuth auth) {
    Vertx vertx = Vertx.vertx();
    QueryRole role = new QueryRole(new QueryConfig("127.0.0.1", port, "http://127.0.0.1:" + port, db, Duration.ofSeconds(20), rules, auth));
    try {
      vertx.deployVerticle(role).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the explorer did not start", e);
    }
    return new RunningExplorer(vertx, role);
  }

  public String url() {
    return "http://127.0.0.1:" + role.actualPort();
  }

  /** GET a path; the answer's status and body. */
  public Response get(String pathAndQuery) {
    return get(pathAndQuery, null);
  }

  /** GET a path with this {@code Authorization} header (none when null). */
  public Response get(String pathAndQuery, String authorization) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(30));
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""),
          r.headers().allValues("WWW-Authenticate"));
    } catch (Exception e) {
      throw new IllegalStateException("GET " + pathAndQuery + " failed", e);
    }
  }

  public record Response(int status, String body, String contentType, java.util.List<String> challenges) {
    public io.vertx.core.json.JsonObject json() {
      return new io.vertx.core.json.JsonObject(body);
    }
  }

  @Override
  public void close() {
    try {
      vertx.close().await(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      // test JVM ends soon anyway
    }
  }
}
