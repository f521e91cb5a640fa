package io.hoptrace.clickhouse.schema;

import java.util.List;

/** The schema's history, oldest first. Never edit an applied migration: add the next one. */
public final class Migrations {
  private Migrations() {}

  public static List<Migration> all() {
    return List.of(
        Migration.load("001_traces.sql"),
        Migration.load("002_logs.sql"),
        Migration.load("003_metrics.sql"),
        Migration.load("004_exponential_histogram_name.sql"),
        Migration.load("005_least_privilege_writer.sql"));
  }
}
