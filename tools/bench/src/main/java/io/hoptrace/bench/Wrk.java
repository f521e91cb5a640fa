package io.hoptrace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code wrk} HTTP load generator (Debian package {@code wrk}), with a Lua script that prints one
 * result line: requests, duration, non-2xx/3xx answers, socket errors, p50/p99 latency.
 */
final class Wrk {
  record Result(long requests, double seconds, long non2xx, long socketErrors, double p50Millis, double p99Millis, double meanMillis) {
    double perSecond() {
      return requests / seconds;
    }
  }

  private static final String DONE = """
      done = function(summary, latency, requests)
        local e = summary.errors
        io.write(string.format("WRK-RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d mean_us=%.1f\\n",
          summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
          latency:percentile(50), latency:percentile(99), latency.mean))
      end
      """;
  private static final Pattern RESULT = Pattern.compile(
      "WRK-RESULT requests=(\\d+) duration_us=(\\d+) non2xx=(\\d+) socket_errors=(\\d+) p50_us=(\\d+) p99_us=(\\d+) mean_us=([0-9.]+)");

  private final Path executable;
  private final Path dir;

  private Wrk(Path executable, Path dir) {
    this.executable = executable;
    this.dir = dir;
  }

  /** Finds wrk, or installs it with apt-get when running as root; otherwise says how to install it. */
  static Wrk find(Path dir, Console console) throws Exception {
    Path wrk = onPath();
    if (wrk == null) {
      boolean root = "0".equals(run(List.of("id", "-u")).strip());
      if (!root) {
        throw new IllegalStateException("the overhead benchmark needs wrk: install the Debian package (sudo apt-get install wrk) and run again");
      }
      console.step("installing wrk (apt-get install -y wrk)");
      if (run(List.of("apt-get", "install", "-y", "-q", "wrk")) == null || onPath() == null) {
        run(List.of("apt-get", "update", "-q"));
        run(List.of("apt-get", "install", "-y", "-q", "wrk"));
      }
      wrk = onPath();
      if (wrk == null) {
        throw new IllegalStateException("apt-get could not install wrk; install the Debian package wrk and run again");
      }
    }
    Files.createDirectories(dir);
    return new Wrk(wrk, dir);
  }

  private static Path onPath() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(d, "wrk");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Runs a command; its output, or null when it failed. */
  private static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    return p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0 ? out : null;
  }

  /** A POST with a JSON body, or a GET when {@code jsonBody} is null. */
  Result run(String url, String jsonBody, int threads, int connections, int seconds, Map<String, Long> pidsForCpu, Map<String, Double> cpuOut)
      throws Exception {
    String script = jsonBody == null ? DONE : "wrk.method = \"POST\"\nwrk.body = '" + jsonBody + "'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n" + DONE;
    Path lua = dir.resolve(jsonBody == null ? "get.lua" : "post.lua");
    Files.writeString(lua, script);
    List<String> cmd = new ArrayList<>(List.of(executable.toString(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
        "--timeout", "10s", "-s", lua.toString(), url));
    // wrk and this JVM are the load generator, not noise: wrk's CPU is this JVM's once it has been waited for
    ProcStat.CpuMeter cpu = new ProcStat.CpuMeter(pidsForCpu).withReapedChildren("load generator", ProcessHandle.current().pid()).start();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(seconds + 60L, TimeUnit.SECONDS);
    cpu.stop();
    if (cpuOut != null) {
      cpuOut.putAll(cpu.used());
      cpuOut.put("others", cpu.others());
    }
    Matcher m = RESULT.matcher(out);
    if (!m.find()) {
      throw new IOException("wrk printed no result: " + out);
    }
    return new Result(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) / 1e6, Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
        Long.parseLong(m.group(5)) / 1e3, Long.parseLong(m.group(6)) / 1e3, Double.parseDouble(m.group(7)) / 1e3);
  }
}
