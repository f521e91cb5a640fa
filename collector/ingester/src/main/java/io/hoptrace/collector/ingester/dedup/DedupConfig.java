package io.hoptrace.collector.ingester.dedup;

import io.hoptrace.config.Env;

/**
 * Settings of the span de-duplication window (docs/adr/009).
 *
 * @param records how many offsets before a record its partition's window reaches back
 *     ({@code COLLECTOR_DEDUP_WINDOW_RECORDS}, 20000; 0 turns de-duplication off)
 * @param maxRows the most span rows a partition's window holds, the newest kept
 *     ({@code COLLECTOR_DEDUP_WINDOW_ROWS}, 150000: at most about 9 MiB per partition)
 */
public record DedupConfig(long records, int maxRows) {
  public static final DedupConfig OFF = new DedupConfig(0, 1);

  public DedupConfig {
    if (records < 0 || maxRows < 1) {
      throw new IllegalArgumentException("dedup window: records >= 0, rows >= 1");
    }
  }

  public static DedupConfig fromEnv(Env env) {
    return new DedupConfig(
        env.integer("COLLECTOR_DEDUP_WINDOW_RECORDS", 20_000, 0, 10_000_000),
        env.integer("COLLECTOR_DEDUP_WINDOW_ROWS", 150_000, 1, 50_000_000));
  }

  public boolean enabled() {
    return records > 0;
  }
}
