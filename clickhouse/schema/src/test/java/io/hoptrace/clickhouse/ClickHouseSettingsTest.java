package io.hoptrace.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.clickhouse.ClickHouseSettings.Purpose;
import io.hoptrace.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One switch per protection, and nothing changes when none is set. */
class ClickHouseSettingsTest {
  @TempDir Path dir;

  @Test
  void withNothingSetEveryConnectionIsTheDefaultUserOverPlainHttp() {
    Env env = Env.of(Map.of());
    for (ClickHouseSettings s : new ClickHouseSettings[] {ClickHouseSettings.fromEnv(env),
        ClickHouseSettings.fromEnv(env, Purpose.INGEST), ClickHouseSettings.fromEnv(env, Purpose.QUERY)}) {
      assertThat(s).isEqualTo(new ClickHouseSettings("http://127.0.0.1:8123", "default", "", "otel", Optional.empty()));
      assertThat(s.tls()).isFalse();
      assertThat(s.jdbcProperties()).doesNotContainKey("sslrootcert");
    }
  }

  @Test
  void eachPurposeHasItsOwnUserAndNeverInheritsTheAdminsPassword() {
    Env env = Env.of(Map.of("CLICKHOUSE_USER", "admin", "CLICKHOUSE_PASSWORD", "admin-secret",
        "CLICKHOUSE_INGEST_USER", "hoptrace_writer", "CLICKHOUSE_INGEST_PASSWORD", "w",
        "CLICKHOUSE_QUERY_USER", "hoptrace_reader"));
    assertThat(ClickHouseSettings.fromEnv(env).user()).isEqualTo("admin");
    assertThat(ClickHouseSettings.fromEnv(env, Purpose.INGEST)).extracting(ClickHouseSettings::user, ClickHouseSettings::password)
        .containsExactly("hoptrace_writer", "w");
    assertThat(ClickHouseSettings.fromEnv(env, Purpose.QUERY)).extracting(ClickHouseSettings::user, ClickHouseSettings::password)
        .containsExactly("hoptrace_reader", "");
    Env adminOnly = Env.of(Map.of("CLICKHOUSE_USER", "admin", "CLICKHOUSE_PASSWORD", "admin-secret"));
    assertThat(ClickHouseSettings.fromEnv(adminOnly, Purpose.QUERY).password()).isEqualTo("admin-secret");
  }

  @Test
  void passwordsCanComeFromFiles() throws Exception {
    Path admin = Files.writeString(dir.resolve("admin"), "admin-secret\n");
    Path writer = Files.writeString(dir.resolve("writer"), "w");
    Env env = Env.of(Map.of("CLICKHOUSE_PASSWORD_FILE", admin.toString(),
        "CLICKHOUSE_INGEST_USER", "hoptrace_writer", "CLICKHOUSE_INGEST_PASSWORD_FILE", writer.toString()));
    assertThat(ClickHouseSettings.fromEnv(env).password()).as("without the trailing line break").isEqualTo("admin-secret");
    assertThat(ClickHouseSettings.fromEnv(env, Purpose.INGEST).password()).isEqualTo("w");
    assertThatThrownBy(() -> ClickHouseSettings.fromEnv(Env.of(Map.of("CLICKHOUSE_PASSWORD", "a", "CLICKHOUSE_PASSWORD_FILE", admin.toString()))))
        .hasMessageContaining("CLICKHOUSE_PASSWORD and CLICKHOUSE_PASSWORD_FILE are both set");
    assertThatThrownBy(() -> ClickHouseSettings.fromEnv(Env.of(Map.of("CLICKHOUSE_PASSWORD_FILE", dir.resolve("none").toString()))))
        .hasMessageContaining("CLICKHOUSE_PASSWORD_FILE=").hasMessageContaining("cannot read it");
  }

  @Test
  void aCaFileNeedsHttpsAndMustBeReadable() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    ClickHouseSettings tls = ClickHouseSettings.fromEnv(Env.of(Map.of("CLICKHOUSE_URL", "https://ch:8443", "CLICKHOUSE_TLS_CA_FILE", ca.toString())));
    assertThat(tls.tls()).isTrue();
    assertThat(tls.jdbcProperties()).containsEntry("sslrootcert", ca.toString());
    assertThat(tls.jdbcUrl()).isEqualTo("jdbc:clickhouse:https://ch:8443");
    assertThatThrownBy(() -> ClickHouseSettings.fromEnv(Env.of(Map.of("CLICKHOUSE_TLS_CA_FILE", ca.toString()))))
        .hasMessageContaining("CLICKHOUSE_TLS_CA_FILE").hasMessageContaining("https://");
    assertThatThrownBy(() -> ClickHouseSettings.fromEnv(Env.of(Map.of("CLICKHOUSE_URL", "https://ch:8443",
        "CLICKHOUSE_TLS_CA_FILE", dir.resolve("missing.pem").toString()))))
        .hasMessageContaining("CLICKHOUSE_TLS_CA_FILE=").hasMessageContaining("not a readable file");
    assertThat(tls.toString()).doesNotContain("secret");
  }
}
