package io.hoptrace.stack;

import io.hoptrace.clickhouse.embedded.EmbeddedClickHouse;
import io.hoptrace.clickhouse.schema.SchemaMigrator;
import java.util.List;

/** The embedded ClickHouse (or the external one), then the schema migrations and retention. */
final class ClickHouseComponent implements Component {
  private final StackConfig config;
  private final Console console;
  private EmbeddedClickHouse clickhouse;

  ClickHouseComponent(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
  }

  @Override
  public String name() {
    return "clickhouse";
  }

  @Override
  public void start() {
    if (config.externalClickHouse().isEmpty()) {
      clickhouse = EmbeddedClickHouse.start(config.embeddedClickHouse());
    }
    SchemaMigrator.Result result = new SchemaMigrator(config.clickHouse(), config.retention()).migrate();
    console.detail("schema: " + result);
  }

  @Override
  public void stop() {
    if (clickhouse != null) {
      clickhouse.stop();
    }
  }

  @Override
  public long pid() {
    return clickhouse == null ? -1 : clickhouse.pid();
  }

  @Override
  public boolean isAlive() {
    return clickhouse == null || clickhouse.isRunning();
  }

  @Override
  public List<PortClaim> ports() {
    if (config.externalClickHouse().isPresent()) {
      return List.of();
    }
    return List.of(
        new PortClaim(config.embeddedClickHouse().httpPort(), "ClickHouse HTTP", "HOPTRACE_CLICKHOUSE_HTTP_PORT"),
        new PortClaim(config.embeddedClickHouse().tcpPort(), "ClickHouse native", "HOPTRACE_CLICKHOUSE_TCP_PORT"));
  }

  @Override
  public List<String> addresses() {
    String where = clickhouse == null ? "  (external)" : "  (embedded, data in " + config.embeddedClickHouse().dataDir() + ")";
    return List.of(
        "ClickHouse HTTP  " + config.clickHouse().url() + where,
        clickhouse == null ? "ClickHouse db    " + config.clickHouse().database()
            : "ClickHouse TCP   " + config.embeddedClickHouse().host() + ":" + config.embeddedClickHouse().tcpPort()
                + "  (database " + config.clickHouse().database() + ")");
  }
}
