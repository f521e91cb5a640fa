package io.hoptrace.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.collector.receiver.ServerTls;
import io.hoptrace.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./stack up}'s defaults stay what they were: loopback only, no authentication, no TLS; each
 * protection is one switch, and a half-given switch is an error naming the variables.
 */
class SecurityDefaultsTest {
  @TempDir Path dir;

  @Test
  void withoutSwitchesEverythingIsOpenOnLoopbackAndPlain() {
    CollectorConfig c = CollectorConfig.fromEnv(Env.of(Map.of()), List.of());
    assertThat(c.receiver().host()).isEqualTo("127.0.0.1");
    assertThat(c.receiver().authToken()).isEmpty();
    assertThat(c.receiver().tls()).isEmpty();
    assertThat(c.receiver().scheme()).isEqualTo("http");
    assertThat(c.selfMetricsEndpoint()).isEqualTo("http://127.0.0.1:4318");
    assertThat(c.query().orElseThrow().host()).isEqualTo("127.0.0.1");
    assertThat(c.query().orElseThrow().auth().enabled()).isFalse();
    assertThat(c.health().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void eachSwitchTurnsOneProtectionOn() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    CollectorConfig c = CollectorConfig.fromEnv(Env.of(Map.of("COLLECTOR_AUTH_TOKEN", "t", "COLLECTOR_TLS_CERT_FILE", cert.toString(),
        "COLLECTOR_TLS_KEY_FILE", key.toString(), "COLLECTOR_QUERY_BASIC_AUTH", "u:p")), List.of());
    assertThat(c.receiver().authToken()).contains("t");
    assertThat(c.receiver().tls()).contains(new ServerTls(cert, key));
    assertThat(c.selfMetricsEndpoint()).isEqualTo("https://127.0.0.1:4318");
    assertThat(c.query().orElseThrow().auth().basic()).contains("u:p");
  }

  @Test
  void aHalfGivenTlsSwitchOrAMissingFileIsAnError() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    assertThatThrownBy(() -> ServerTls.fromEnv(Env.of(Map.of("COLLECTOR_TLS_CERT_FILE", cert.toString()))))
        .isInstanceOf(Env.ConfigException.class)
        .hasMessage("COLLECTOR_TLS_CERT_FILE and COLLECTOR_TLS_KEY_FILE go together: set both (PEM files) or neither");
    assertThatThrownBy(() -> ServerTls.fromEnv(Env.of(Map.of("COLLECTOR_TLS_CERT_FILE", cert.toString(),
        "COLLECTOR_TLS_KEY_FILE", dir.resolve("missing.pem").toString()))))
        .isInstanceOf(Env.ConfigException.class)
        .hasMessage("COLLECTOR_TLS_KEY_FILE=" + dir.resolve("missing.pem") + " is invalid: not a readable file");
  }
}
