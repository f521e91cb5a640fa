package io.hoptrace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What Linux says about processes and the machine ({@code /proc}); CPU times in seconds (100 ticks/s). */
final class ProcStat {
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStat() {}

  /** CPU time (user + system, all threads) of a process; NaN when it is gone. */
  static double cpuSeconds(long pid) {
    return cpuSeconds(pid, false);
  }

  /**
   * CPU time of a process, with {@code reapedChildren} also that of its children that have exited and
   * been waited for (how a short-lived child such as {@code wrk} is counted: its own entry is gone by then).
   */
  static double cpuSeconds(long pid, boolean reapedChildren) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // fields after the ")" of the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (reapedChildren) {
        ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
      }
      return ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * CPU time of a process's JIT compiler threads ({@code C1/C2 CompilerThre...}, as Linux names them):
   * compiling is a cost of a fresh JVM, not of each request, and telemetry on means more code to compile.
   * NaN when the process is gone.
   */
  static double compilerSeconds(long pid) {
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      long ticks = 0;
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException e) {
          // the thread ended while listed: its time is gone with it
        }
      }
      return ticks / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU time the whole machine spent busy (all cores: user, nice, system, irq, softirq, steal). */
  static double machineBusySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Resident set size in bytes ({@code VmRSS}); -1 when the process is gone. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The 1-minute load average. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * CPU used by named processes between {@link #start} and {@link #stop}, and by everything else on
   * the machine in the same time (other developers' builds: the noise of the measurement).
   */
  static final class CpuMeter {
    private final Map<String, Long> pids;
    private final java.util.Set<String> withReapedChildren = new java.util.HashSet<>();
    private final Map<String, Double> start = new LinkedHashMap<>();
    private double machineStart;
    private long wallStart;
    private final Map<String, Double> used = new LinkedHashMap<>();
    private double machineUsed;
    private double wallSeconds;

    CpuMeter(Map<String, Long> pids) {
      this.pids = new LinkedHashMap<>(pids);
    }

    /** Also measures {@code name} (this JVM, say) with the children it starts and waits for during the measurement. */
    CpuMeter withReapedChildren(String name, long pid) {
      pids.put(name, pid);
      withReapedChildren.add(name);
      return this;
    }

    CpuMeter start() {
      machineStart = machineBusySeconds();
      wallStart = System.nanoTime();
      pids.forEach((name, pid) -> start.put(name, cpuSeconds(pid, withReapedChildren.contains(name))));
      return this;
    }

    CpuMeter stop() {
      pids.forEach((name, pid) -> used.put(name, cpuSeconds(pid, withReapedChildren.contains(name)) - start.get(name)));
      machineUsed = machineBusySeconds() - machineStart;
      wallSeconds = (System.nanoTime() - wallStart) / 1e9;
      return this;
    }

    double used(String name) {
      return used.getOrDefault(name, Double.NaN);
    }

    Map<String, Double> used() {
      return used;
    }

    /** CPU seconds of processes that are not ours. */
    double others() {
      double ours = used.values().stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).sum();
      return Math.max(0, machineUsed - ours);
    }

    double machine() {
      return machineUsed;
    }

    /** Share of the machine's capacity (all cores, over the measured time) that other processes used. */
    double othersShare() {
      return others() / Math.max(1e-9, wallSeconds * Runtime.getRuntime().availableProcessors());
    }

    double wallSeconds() {
      return wallSeconds;
    }
  }
}
