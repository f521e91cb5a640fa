package io.hoptrace.launcher;

import java.time.Duration;

/** What the launcher reports while it works: each instance starting and healthy (with its time), downloads, details. */
public interface Progress {
  /** Reports nothing. */
  Progress SILENT = new Progress() {};

  default void starting(Instance instance) {}

  default void healthy(Instance instance, Duration took) {}

  default void stopping(Instance instance) {}

  /** A step's outcome worth a line when verbose: topics created, migrations applied. */
  default void detail(String message) {}

  /** Bytes of a download so far ({@code total} -1 when unknown), e.g. the ClickHouse engine. */
  default void download(String what, long done, long total) {}

  /** Something went wrong but the work goes on (a component that would not stop). */
  default void warning(String message) {}
}
