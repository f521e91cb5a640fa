package io.hoptrace.stack;

import io.hoptrace.config.Env;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads the trace explorer's JSON API for {@code ./stack trace} and {@code ./stack traces}: the
 * terminal shows what the pages show, from the same endpoints.
 */
final class ExplorerClient {
  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  ExplorerClient(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** {@code HOPTRACE_EXPLORER_URL}, default {@code http://127.0.0.1:<COLLECTOR_QUERY_PORT or 16686>}. */
  static ExplorerClient fromEnv(Env env) {
    return new ExplorerClient(env.string("HOPTRACE_EXPLORER_URL", "http://127.0.0.1:" + env.port("COLLECTOR_QUERY_PORT", 16686)));
  }

  String baseUrl() {
    return baseUrl;
  }

  /** GET an API path; a 4xx answer becomes an {@link IllegalArgumentException} with the API's reason. */
  JsonObject get(String pathAndQuery) {
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("the trace explorer at " + baseUrl + " is not reachable (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is the stack running? (./stack status, ./stack start)"
          + " Another explorer: set HOPTRACE_EXPLORER_URL.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
    JsonObject body;
    try {
      body = new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new IllegalStateException(baseUrl + " answered HTTP " + response.statusCode() + " without JSON: is it the trace explorer?");
    }
    if (response.statusCode() / 100 == 4) {
      throw new IllegalArgumentException(body.getString("message", "HTTP " + response.statusCode()));
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("the trace explorer answered HTTP " + response.statusCode() + ": " + body.getString("message", ""));
    }
    return body;
  }
}
