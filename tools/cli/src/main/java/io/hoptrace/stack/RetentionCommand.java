package io.hoptrace.stack;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.clickhouse.schema.RetentionPolicy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./stack retention [--apply]}: the TTL of every telemetry table as configured (the
 * CLICKHOUSE_TTL_* variables) next to what ClickHouse has in force; {@code --apply} brings them in line.
 */
@Command(name = "retention", mixinStandardHelpOptions = true, header = "The TTL of every telemetry table: configured, and in force.",
    description = "Configured by the CLICKHOUSE_TTL_* variables; exit code 3 when ClickHouse has another in force.")
final class RetentionCommand implements Callable<Integer> {
  @ParentCommand
  StackCommand root;

  @Option(names = "--apply", description = "Apply the configured retention where it differs.")
  boolean apply;

  @Override
  public Integer call() {
    StackConfig config = root.config();
    Console console = root.console();
    ClickHouseSettings ch = config.clickHouse();
    RetentionPolicy policy = new RetentionPolicy(config.retention(), config.clickHouseCluster());
    try (Connection c = DriverManager.getConnection(ch.jdbcUrl(), ch.jdbcProperties())) {
      if (apply) {
        List<String> changed = policy.apply(c, ch.database());
        console.line(changed.isEmpty() ? "retention already in force" : "retention changed on " + changed);
      }
      List<RetentionPolicy.TableTtl> ttls = policy.describe(c, ch.database());
      console.line("retention in " + ch.url() + " database " + ch.database()
          + " (configured by CLICKHOUSE_TTL_*; 0 days = keep forever)");
      boolean allInForce = true;
      for (RetentionPolicy.TableTtl t : ttls) {
        allInForce &= t.inForce();
        console.line(String.format("  %-28s %s", t.table(), t.inForce() ? "in force" : "DIFFERS"));
        console.line("      in force:   " + (t.actual() == null ? "none (kept forever)" : t.actual()));
        if (!t.inForce()) {
          console.line("      configured: " + (t.desired() == null ? "none (kept forever)" : t.desired()));
        }
      }
      if (!allInForce) {
        console.line("apply the configured retention with: ./stack retention --apply");
      }
      return allInForce ? 0 : 3;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the retention from ClickHouse at " + ch.url() + ": " + e.getMessage()
          + ". Is the stack running (./stack status), and was the schema created (./stack up does it)?", e);
    }
  }
}
