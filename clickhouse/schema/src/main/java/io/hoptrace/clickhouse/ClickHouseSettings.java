package io.hoptrace.clickhouse;

import io.hoptrace.config.Env;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where ClickHouse is, who connects, and which database holds the telemetry.
 *
 * <p>TLS is on when the URL is {@code https://}; the server's certificate is then checked against
 * {@code tlsCaFile} (a PEM file, for a private CA) or, without one, against the JVM's trusted CAs.
 *
 * @param url HTTP(S) endpoint, e.g. {@code http://127.0.0.1:8123} or {@code https://clickhouse:8443}
 * @param user user name ({@code default})
 * @param password password (empty)
 * @param database database of the OpenTelemetry tables ({@code otel})
 * @param tlsCaFile PEM file of the CA certificate(s) that signed the server's certificate; https only
 */
public record ClickHouseSettings(String url, String user, String password, String database, Optional<Path> tlsCaFile) {
  public static final String DEFAULT_URL = "http://127.0.0.1:8123";

  public ClickHouseSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(tlsCaFile, "tlsCaFile");
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("CLICKHOUSE_URL=" + url + " is not a URL: " + e.getMessage());
    }
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException("CLICKHOUSE_URL=" + url + " must look like http://host:8123 or https://host:8443");
    }
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
      throw new IllegalArgumentException("CLICKHOUSE_DATABASE=" + database + " must be an identifier (letters, digits, _)");
    }
    if (tlsCaFile.isPresent()) {
      if (!"https".equals(u.getScheme())) {
        throw new IllegalArgumentException("CLICKHOUSE_TLS_CA_FILE is set but CLICKHOUSE_URL=" + url
            + " is not https://: use https://host:8443, or unset CLICKHOUSE_TLS_CA_FILE");
      }
      if (!Files.isReadable(tlsCaFile.get())) {
        throw new IllegalArgumentException("CLICKHOUSE_TLS_CA_FILE=" + tlsCaFile.get()
            + " is not a readable file: give the PEM file of the CA that signed the ClickHouse server's certificate");
      }
    }
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Plain settings, no private CA. */
  public ClickHouseSettings(String url, String user, String password, String database) {
    this(url, user, password, database, Optional.empty());
  }

  /**
   * {@code CLICKHOUSE_URL}, {@code CLICKHOUSE_USER}, {@code CLICKHOUSE_PASSWORD} (or
   * {@code CLICKHOUSE_PASSWORD_FILE}), {@code CLICKHOUSE_DATABASE}, {@code CLICKHOUSE_TLS_CA_FILE}: the user that applies the migrations,
   * and every other connection's unless {@link #fromEnv(Env, Purpose)} names another.
   */
  public static ClickHouseSettings fromEnv(Env env) {
    return new ClickHouseSettings(
        env.string("CLICKHOUSE_URL", DEFAULT_URL),
        env.string("CLICKHOUSE_USER", "default"),
        env.secret("CLICKHOUSE_PASSWORD").orElse(""),
        env.string("CLICKHOUSE_DATABASE", "otel"),
        env.optional("CLICKHOUSE_TLS_CA_FILE").filter(s -> !s.isBlank()).map(Path::of));
  }

  /**
   * The settings of {@link #fromEnv(Env)} with the user of one purpose: {@code CLICKHOUSE_<PURPOSE>_USER}
   * and {@code CLICKHOUSE_<PURPOSE>_PASSWORD} (or {@code _PASSWORD_FILE}) when that user is set (least privilege: a user that may
   * only insert, one that may only read), else {@code CLICKHOUSE_USER} and its password.
   */
  public static ClickHouseSettings fromEnv(Env env, Purpose purpose) {
    ClickHouseSettings common = fromEnv(env);
    return env.optional(purpose.userVariable()).filter(s -> !s.isBlank())
        .map(user -> common.withUser(user, env.secret(purpose.passwordVariable()).orElse("")))
        .orElse(common);
  }

  /** What a connection is for; each purpose can have a user of its own. */
  public enum Purpose {
    /** The ingester's inserts ({@code CLICKHOUSE_INGEST_USER}). */
    INGEST,
    /** The explorer's reads ({@code CLICKHOUSE_QUERY_USER}). */
    QUERY;

    public String userVariable() {
      return "CLICKHOUSE_" + name() + "_USER";
    }

    public String passwordVariable() {
      return "CLICKHOUSE_" + name() + "_PASSWORD";
    }
  }

  /** The external server named by {@code CLICKHOUSE_URL}, if any; empty means "start the embedded one". */
  public static Optional<String> externalUrl(Env env) {
    return env.optional("CLICKHOUSE_URL");
  }

  public ClickHouseSettings withDatabase(String db) {
    return new ClickHouseSettings(url, user, password, db, tlsCaFile);
  }

  public ClickHouseSettings withUrl(String newUrl) {
    return new ClickHouseSettings(newUrl, user, password, database, tlsCaFile);
  }

  public ClickHouseSettings withUser(String newUser, String newPassword) {
    return new ClickHouseSettings(url, newUser, newPassword, database, tlsCaFile);
  }

  public ClickHouseSettings withTlsCaFile(Path caFile) {
    return new ClickHouseSettings(url, user, password, database, Optional.of(caFile));
  }

  public boolean tls() {
    return url.startsWith("https:");
  }

  public String jdbcUrl() {
    return "jdbc:clickhouse:" + url;
  }

  public Properties jdbcProperties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    // the JDBC driver hands its properties to clickhouse-java's client: sslrootcert is its CA file
    tlsCaFile.ifPresent(ca -> p.setProperty("sslrootcert", ca.toString()));
    return p;
  }

  @Override
  public String toString() {
    return "ClickHouseSettings[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "(none)" : "***")
        + ", database=" + database + tlsCaFile.map(ca -> ", tlsCaFile=" + ca).orElse("") + "]";
  }
}
