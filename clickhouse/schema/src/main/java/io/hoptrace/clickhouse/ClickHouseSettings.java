package io.hoptrace.clickhouse;

import io.hoptrace.config.Env;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where ClickHouse is and which database holds the telemetry.
 *
 * @param url HTTP endpoint, e.g. {@code http://127.0.0.1:8123}
 * @param user user name ({@code default})
 * @param password password (empty)
 * @param database database of the OpenTelemetry tables ({@code otel})
 */
public record ClickHouseSettings(String url, String user, String password, String database) {
  public static final String DEFAULT_URL = "http://127.0.0.1:8123";

  public ClickHouseSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(database, "database");
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("CLICKHOUSE_URL=" + url + " is not a URL: " + e.getMessage());
    }
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException("CLICKHOUSE_URL=" + url + " must look like http://host:8123");
    }
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
      throw new IllegalArgumentException("CLICKHOUSE_DATABASE=" + database + " must be an identifier (letters, digits, _)");
    }
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** {@code CLICKHOUSE_URL}, {@code CLICKHOUSE_USER}, {@code CLICKHOUSE_PASSWORD}, {@code CLICKHOUSE_DATABASE}. */
  public static ClickHouseSettings fromEnv(Env env) {
    return new ClickHouseSettings(
        env.string("CLICKHOUSE_URL", DEFAULT_URL),
        env.string("CLICKHOUSE_USER", "default"),
        env.optional("CLICKHOUSE_PASSWORD").orElse(""),
        env.string("CLICKHOUSE_DATABASE", "otel"));
  }

  /** The external server named by {@code CLICKHOUSE_URL}, if any; empty means "start the embedded one". */
  public static Optional<String> externalUrl(Env env) {
    return env.optional("CLICKHOUSE_URL");
  }

  public ClickHouseSettings withDatabase(String db) {
    return new ClickHouseSettings(url, user, password, db);
  }

  public ClickHouseSettings withUrl(String newUrl) {
    return new ClickHouseSettings(newUrl, user, password, database);
  }

  public String jdbcUrl() {
    return "jdbc:clickhouse:" + url;
  }

  public Properties jdbcProperties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return p;
  }

  @Override
  public String toString() {
    return "ClickHouseSettings[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "(none)" : "***")
        + ", database=" + database + "]";
  }
}
