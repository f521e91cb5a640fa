package io.hoptrace.collector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.collector.query.alerts.AlertRules;
import io.hoptrace.config.Env;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import io.hoptrace.web.HttpAuth;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The explorer behind authentication: pages and API refuse a request without credentials or with
 * wrong ones (401, the JSON error, a Basic challenge so a browser asks), let in the bearer token and
 * the basic user; {@code /api/health} stays open.
 */
@ExtendWith(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplorerAuthTest {
  static final String TOKEN = "explorer-t0ken";
  static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("ops:pa:ss w0rd".getBytes(StandardCharsets.UTF_8));
  RunningExplorer explorer;

  @BeforeAll
  void start(Infrastructure infra) {
    explorer = RunningExplorer.start(infra.migratedDatabase("explorer-auth"), AlertRules.none(), 0,
        new HttpAuth(Optional.of(TOKEN), Optional.of("ops:pa:ss w0rd"), "hoptrace explorer"));
  }

  @AfterAll
  void stop() {
    explorer.close();
  }

  @Test
  void withoutCredentialsOrWithWrongOnesEveryPageAndEndpointIs401() {
    for (String path : List.of("/api/services", "/api/traces?service=order", "/api", "/", "/trace/0af7651916cd43dd8448eb211c80319c",
        "/static/explorer.css", "/api/alerts")) {
      for (String auth : new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x", "Bearer", BASIC.replace("Basic ", "Bearer "),
          "Basic " + Base64.getEncoder().encodeToString("ops:wrong".getBytes(StandardCharsets.UTF_8)), "Basic !!!", TOKEN}) {
        RunningExplorer.Response r = explorer.get(path, auth);
        assertThat(r.status()).as(path + " with " + auth).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().getString("error")).isEqualTo("unauthorized");
        assertThat(r.json().getString("message")).contains("Authorization: Bearer <token> or Basic <user:password>");
        assertThat(r.challenges()).contains("Basic realm=\"hoptrace explorer\", charset=\"UTF-8\"", "Bearer realm=\"hoptrace explorer\"");
      }
    }
  }

  @Test
  void theTokenAndTheBasicUserAreLetIn() {
    for (String auth : List.of("Bearer " + TOKEN, "bearer " + TOKEN, BASIC)) {
      assertThat(explorer.get("/api/services", auth).status()).as(auth).isEqualTo(200);
      RunningExplorer.Response page = explorer.get("/", auth);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.contentType()).startsWith("text/html");
    }
  }

  @Test
  void healthStaysOpen() {
    RunningExplorer.Response health = explorer.get("/api/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().getString("status")).isEqualTo("UP");
  }

  @Test
  void theSwitchesAreReadFromTheEnvironment() {
    QueryConfig open = QueryConfig.fromEnv(Env.of(Map.of()));
    assertThat(open.auth().enabled()).isFalse();
    QueryConfig secured = QueryConfig.fromEnv(Env.of(Map.of("COLLECTOR_QUERY_AUTH_TOKEN", TOKEN, "COLLECTOR_QUERY_BASIC_AUTH", "ops:pw")));
    assertThat(secured.auth().token()).contains(TOKEN);
    assertThat(secured.auth().basic()).contains("ops:pw");
    assertThatThrownBy(() -> QueryConfig.fromEnv(Env.of(Map.of("COLLECTOR_QUERY_BASIC_AUTH", "no-colon"))))
        .isInstanceOf(Env.ConfigException.class).hasMessage("COLLECTOR_QUERY_BASIC_AUTH is invalid: use user:password");
  }
}
