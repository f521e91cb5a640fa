package io.hoptrace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time (user + system) of a process from {@code /proc/<pid>/stat}, in seconds (Linux, 100 ticks/s). */
final class CpuClock {
  private static final double TICKS_PER_SECOND = 100.0;

  private CpuClock() {}

  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // fields after the ")" of the command name: state is field 3, utime 14, stime 15
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(f[11]);
      long stime = Long.parseLong(f[12]);
      return (utime + stime) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the CPU time of pid " + pid + " from /proc: " + e.getMessage(), e);
    }
  }
}
