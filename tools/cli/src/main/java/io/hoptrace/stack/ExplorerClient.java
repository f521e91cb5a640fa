package io.hoptrace.stack;

import io.hoptrace.config.Env;
import io.hoptrace.load.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Reads the trace explorer's JSON API for {@code ./stack trace} and {@code ./stack traces}: the
 * terminal shows what the pages show, from the same endpoints. The JDK's {@code HttpURLConnection}:
 * a command-line JVM answers in a fraction of the time its {@code HttpClient} needs to start (it sets
 * up TLS whether or not it is used).
 */
final class ExplorerClient {
  private final String baseUrl;
  private final java.util.Optional<String> authorization;

  ExplorerClient(String baseUrl) {
    this(baseUrl, java.util.Optional.empty());
  }

  ExplorerClient(String baseUrl, java.util.Optional<String> authorization) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.authorization = authorization;
  }

  /**
   * {@code HOPTRACE_EXPLORER_URL}, default {@code http://127.0.0.1:<COLLECTOR_QUERY_PORT or 16686>};
   * with the explorer's credentials when they are set ({@code COLLECTOR_QUERY_AUTH_TOKEN}, else
   * {@code COLLECTOR_QUERY_BASIC_AUTH}, either also as {@code _FILE}).
   */
  static ExplorerClient fromEnv(Env env) {
    java.util.Optional<String> auth = env.secret("COLLECTOR_QUERY_AUTH_TOKEN").map(t -> "Bearer " + t)
        .or(() -> env.secret("COLLECTOR_QUERY_BASIC_AUTH")
            .map(b -> "Basic " + java.util.Base64.getEncoder().encodeToString(b.getBytes(StandardCharsets.UTF_8))));
    return new ExplorerClient(env.string("HOPTRACE_EXPLORER_URL", "http://127.0.0.1:" + env.port("COLLECTOR_QUERY_PORT", 16686)), auth);
  }

  String baseUrl() {
    return baseUrl;
  }

  /** GET an API path; a 4xx answer becomes an {@link IllegalArgumentException} with the API's reason. */
  Json.Obj get(String pathAndQuery) {
    int status;
    String text;
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(baseUrl + pathAndQuery).toURL().openConnection();
      c.setConnectTimeout(3_000);
      c.setReadTimeout(30_000);
      authorization.ifPresent(a -> c.setRequestProperty("Authorization", a));
      status = c.getResponseCode();
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IllegalStateException("the trace explorer at " + baseUrl + " is not reachable (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is the stack running? (./stack status, ./stack start)"
          + " Another explorer: set HOPTRACE_EXPLORER_URL.");
    }
    Json.Obj body;
    try {
      body = Json.object(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(baseUrl + " answered HTTP " + status + " without JSON: is it the trace explorer?");
    }
    if (status / 100 == 4) {
      throw new IllegalArgumentException(body.string("message", "HTTP " + status));
    }
    if (status != 200) {
      throw new IllegalStateException("the trace explorer answered HTTP " + status + ": " + body.string("message", ""));
    }
    return body;
  }
}
