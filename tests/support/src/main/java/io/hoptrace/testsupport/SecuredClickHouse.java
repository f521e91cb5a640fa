package io.hoptrace.testsupport;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.embedded.EmbeddedClickHouseConfig;
import io.hoptrace.process.Ports;
import io.hoptrace.testsupport.tls.TestCertificates;
import io.hoptrace.testsupport.tls.TlsTerminator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A real ClickHouse set up the way the Docker deployment is: users with passwords and least
 * privilege (the repository's {@code deploy/clickhouse/users.d/hoptrace.xml}, as is), reached over
 * HTTPS with a certificate of a private CA. The engine serves plain HTTP on loopback only; a
 * {@link TlsTerminator} is the HTTPS endpoint in front of it.
 *
 * <p>Users: {@code hoptrace_admin} (everything; the migrations), {@code hoptrace_writer} and
 * {@code hoptrace_reader} (from the users file). The engine's own session needs a passwordless
 * {@code default}: it keeps only what that session needs ({@code SYSTEM LISTEN}, {@code system.numbers}).
 */
public final class SecuredClickHouse implements AutoCloseable {
  public static final String ADMIN = "hoptrace_admin";
  public static final String WRITER = "hoptrace_writer";
  public static final String READER = "hoptrace_reader";

  private final EmbeddedClickHouse engine;
  private final TlsTerminator tls;
  private final TestCertificates certificates;
  private final Map<String, String> passwords;

  private SecuredClickHouse(EmbeddedClickHouse engine, TlsTerminator tls, TestCertificates certificates, Map<String, String> passwords) {
    this.engine = engine;
    this.tls = tls;
    this.certificates = certificates;
    this.passwords = passwords;
  }

  /** The repository's least-privilege users file (what Docker mounts). */
  public static Path repositoryUsersFile() {
    Path root = Path.of(System.getProperty("hoptrace.repo.root", ".."));
    for (Path dir = root.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path f = dir.resolve("deploy/clickhouse/users.d/hoptrace.xml");
      if (Files.exists(f)) {
        return f;
      }
    }
    throw new IllegalStateException("deploy/clickhouse/users.d/hoptrace.xml not found above " + root.toAbsolutePath());
  }

  /** Starts the engine with the repository's users in {@code dir} (data, configuration, certificates). */
  public static SecuredClickHouse start(Path dir) {
    Map<String, String> passwords = Map.of(
        ADMIN, "admin-" + UUID.randomUUID(),
        WRITER, "writer-" + UUID.randomUUID(),
        READER, "reader-" + UUID.randomUUID());
    try {
      Path conf = Files.createDirectories(dir.resolve("conf"));
      Files.createDirectories(conf.resolve("users.d"));
      Files.copy(repositoryUsersFile(), conf.resolve("users.d/hoptrace.xml"));
      Files.writeString(conf.resolve("users.xml"), """
          <clickhouse>
            <profiles><default/></profiles>
            <quotas><default/></quotas>
            <users>
              <default>
                <password></password>
                <networks><ip>127.0.0.1</ip></networks>
                <profile>default</profile><quota>default</quota>
                <grants>
                  <query>GRANT SYSTEM LISTEN ON *.*</query>
                  <query>GRANT SELECT ON system.numbers</query>
                </grants>
              </default>
              <hoptrace_admin>
                <password from_env="HOPTRACE_TEST_ADMIN_PASSWORD"/>
                <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                <profile>default</profile><quota>default</quota>
                <access_management>1</access_management>
              </hoptrace_admin>
            </users>
          </clickhouse>
          """);
      // users.d/ next to users.xml is merged into it, as on a ClickHouse server
      Files.writeString(conf.resolve("config.xml"), "<clickhouse><users_config>" + conf.resolve("users.xml").toAbsolutePath()
          + "</users_config></clickhouse>\n");
      TestCertificates certificates = TestCertificates.create(Files.createDirectories(dir.resolve("tls")));
      EmbeddedClickHouseConfig config = EmbeddedClickHouseConfig.forTests(dir.resolve("data"), Ports.freePort(), Ports.freePort())
          .withServerConfig(conf.resolve("config.xml"), Map.of(
              "HOPTRACE_TEST_ADMIN_PASSWORD", passwords.get(ADMIN),
              "CLICKHOUSE_INGEST_PASSWORD", passwords.get(WRITER),
              "CLICKHOUSE_QUERY_PASSWORD", passwords.get(READER)));
      EmbeddedClickHouse engine = EmbeddedClickHouse.start(config);
      try {
        return new SecuredClickHouse(engine, TlsTerminator.start(certificates, config.httpPort()), certificates, passwords);
      } catch (RuntimeException e) {
        engine.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code https://127.0.0.1:<port>}: the TLS endpoint. */
  public String httpsUrl() {
    return "https://127.0.0.1:" + tls.port();
  }

  /** The engine's own plain HTTP port (loopback), behind the TLS endpoint. */
  public String plainHttpUrl() {
    return engine.httpUrl();
  }

  /** The private CA's certificate (PEM) that signed the endpoint's certificate. */
  public Path caFile() {
    return certificates.caPem();
  }

  public String password(String user) {
    return passwords.get(user);
  }

  /** Over HTTPS, trusting the private CA, as {@code user} with its password. */
  public ClickHouseSettings settings(String user, String database) {
    return new ClickHouseSettings(httpsUrl(), user, password(user), database).withTlsCaFile(caFile());
  }

  /** The environment a collector needs to reach this ClickHouse as the three users over TLS. */
  public Map<String, String> collectorEnv(String database) {
    return Map.of(
        "CLICKHOUSE_URL", httpsUrl(),
        "CLICKHOUSE_TLS_CA_FILE", caFile().toString(),
        "CLICKHOUSE_DATABASE", database,
        "CLICKHOUSE_USER", ADMIN,
        "CLICKHOUSE_PASSWORD", password(ADMIN),
        "CLICKHOUSE_INGEST_USER", WRITER,
        "CLICKHOUSE_INGEST_PASSWORD", password(WRITER),
        "CLICKHOUSE_QUERY_USER", READER,
        "CLICKHOUSE_QUERY_PASSWORD", password(READER));
  }

  @Override
  public void close() {
    tls.close();
    engine.close();
  }
}
