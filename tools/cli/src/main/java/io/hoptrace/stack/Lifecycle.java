package io.hoptrace.stack;

import io.hoptrace.launcher.Instance;
import io.hoptrace.process.ChildProcess;
import io.hoptrace.process.Poll;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code ./stack up | start | stop | status}. */
final class Lifecycle {
  /** The line after which {@code up} prints the addresses; {@code start} shows the log up to it, then the status. */
  static final String READY_MARKER = "hoptrace is up:";

  private final StackConfig config;
  private final Console console;

  Lifecycle(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
  }

  /** Foreground: start everything, print the addresses, supervise until Ctrl-C / SIGTERM, then stop in order. */
  int up(io.hoptrace.launcher.Scale scale) {
    SupervisedStack stack = new SupervisedStack(config, console, scale);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stack.down();
      stopped.countDown();
    }, "stack-shutdown"));
    stack.up();
    console.line("");
    console.line(READY_MARKER);
    for (String address : stack.addresses()) {
      console.line("  " + address);
    }
    console.line("logs: " + config.logDir() + "   stop: Ctrl-C (or ./stack stop)");
    List<String> reported = new ArrayList<>();
    while (stopped.getCount() > 0) {
      for (Instance c : stack.dead()) {
        if (!reported.contains(c.name())) {
          reported.add(c.name());
          console.error(c.name() + " has stopped unexpectedly; see " + config.logDir()
              + " and restart with ./stack stop && ./stack up");
        }
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return 0;
  }

  /**
   * Runs {@code up} as a detached process and returns once it reports READY (or failed), showing its
   * progress (each part as it becomes healthy, a download) as it writes it to its log.
   */
  int startInBackground(io.hoptrace.launcher.Scale scale) {
    Optional<StackState> existing = StackState.read(config.stateFile());
    if (existing.isPresent() && alive(existing.get().supervisorPid())) {
      console.line("already running (supervisor pid " + existing.get().supervisorPid() + ")");
      return status();
    }
    Path log = config.logDir().resolve("stack.log");
    Process supervisor;
    try {
      Files.createDirectories(config.logDir());
      Files.deleteIfExists(config.stateFile());
      List<String> cmd = new ArrayList<>();
      if (new File("/usr/bin/setsid").canExecute()) {
        cmd.add("/usr/bin/setsid"); // its own session: closing this terminal does not stop it
      }
      cmd.add(io.hoptrace.process.ChildJvm.javaExecutable());
      cmd.add("-Xmx256m");
      String logback = System.getProperty("logback.configurationFile");
      if (logback != null) {
        cmd.add("-Dlogback.configurationFile=" + logback);
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StackMain.class.getName(), "up"));
      if (!scale.toString().isEmpty()) {
        cmd.addAll(List.of("--scale", scale.toString()));
      }
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(config.env().withPrefix("")); // the settings this command was given, also when not the process's own
      supervisor = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start the stack in the background: " + e.getMessage(), e);
    }
    console.step("starting in the background (pid " + supervisor.pid() + ", log " + log + ")");
    LogFollower follower = new LogFollower(log, READY_MARKER);
    try {
      Poll.until("the stack to become ready", Duration.ofMinutes(10), Duration.ofMillis(200), () -> {
        follower.poll().forEach(console::line);
        Optional<StackState> s = StackState.read(config.stateFile());
        if (s.isPresent() && s.get().phase() == StackState.Phase.READY) {
          return true;
        }
        if (s.isPresent() && s.get().phase() == StackState.Phase.FAILED || !supervisor.isAlive()) {
          throw new StartFailed();
        }
        return false;
      });
    } catch (Poll.TimeoutException e) {
      follower.poll().forEach(console::line);
      console.error((e.getCause() instanceof StartFailed ? "start-up failed" : e.getMessage())
          + "; last lines of " + log + ":\n" + ChildProcess.tail(log, 25));
      if (supervisor.isAlive()) {
        supervisor.destroy();
      }
      return 1;
    }
    return status();
  }

  /** Stops the supervisor (which stops its components in order); cleans up after a supervisor that was killed. */
  int stop() {
    Optional<StackState> found = StackState.read(config.stateFile());
    if (found.isEmpty()) {
      console.line("not running (no " + config.stateFile() + ")");
      return 0;
    }
    StackState state = found.get();
    long pid = state.supervisorPid();
    ProcessHandle.of(pid).ifPresent(p -> {
      console.step("stopping the stack (supervisor pid " + pid + ")");
      p.destroy();
      try {
        Poll.until("the stack to stop", Duration.ofSeconds(120), Duration.ofMillis(250), () -> !p.isAlive());
      } catch (Poll.TimeoutException e) {
        console.error("the supervisor did not stop within 120 s; stopping its components directly");
        p.destroyForcibly();
      }
    });
    // a supervisor killed with -9 leaves its components behind: stop those directly, newest first
    List<String> names = new ArrayList<>(state.names());
    java.util.Collections.reverse(names);
    for (String name : names) {
      long cpid = state.pid(name);
      Optional<ProcessHandle> h = cpid > 0 ? ProcessHandle.of(cpid) : Optional.empty();
      if (h.isPresent() && h.get().isAlive() && isOurs(h.get())) {
        console.step("stopping " + name + " (pid " + cpid + ")");
        h.get().destroy();
        try {
          Poll.until(name + " to stop", Duration.ofSeconds(30), Duration.ofMillis(200), () -> !h.get().isAlive());
        } catch (Poll.TimeoutException e) {
          h.get().destroyForcibly();
        }
      }
    }
    state.delete();
    console.line("stopped");
    return 0;
  }

  /** 0 when everything runs, 3 when not running or a component is down. */
  int status() {
    Optional<StackState> found = StackState.read(config.stateFile());
    if (found.isEmpty() || !alive(found.get().supervisorPid())) {
      console.line("hoptrace is not running" + (found.isPresent() ? " (stale state from a stopped supervisor; ./stack stop cleans up)" : ""));
      return 3;
    }
    StackState state = found.get();
    console.line("hoptrace " + state.phase().name().toLowerCase() + " (supervisor pid " + state.supervisorPid() + ")");
    ConsumerPartitions partitions = null;
    String noPartitions = "";
    try {
      partitions = ConsumerPartitions.describe(state.kafka().orElse(config.kafkaBootstrapServers()),
          io.hoptrace.kafka.KafkaClientSecurity.fromEnv(config.env()), state);
    } catch (Exception e) {
      noPartitions = "partitions unknown: Kafka did not answer (" + (e.getCause() != null ? e.getCause() : e) + ")";
    }
    boolean allUp = state.phase() == StackState.Phase.READY;
    console.line(String.format("  %-12s %-10s %-8s %-9s %s", "INSTANCE", "ROLE", "STATE", "PID", "PORTS"));
    for (String name : state.names()) {
      long pid = state.pid(name);
      boolean up = pid <= 0 || alive(pid);
      allUp &= up;
      console.line(String.format("  %-12s %-10s %-8s %-9s %s", name, state.role(name), up ? "running" : "DOWN",
          pid > 0 ? Long.toString(pid) : "external", state.ports(name)));
      for (String a : state.addresses(name)) {
        console.line("               " + a);
      }
      if (partitions != null && partitions.byPid().containsKey(pid)) {
        console.line("               partitions: " + String.join("; ", partitions.byPid().get(pid)));
      }
    }
    if (partitions != null && !partitions.others().isEmpty()) {
      console.line("  consumer group members of no instance above:");
      partitions.others().forEach(o -> console.line("               " + o));
    }
    if (!noPartitions.isEmpty()) {
      console.line("  " + noPartitions);
    }
    return allUp ? 0 : 3;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Never kill a recycled pid: our components are JVMs running our classes. */
  private static boolean isOurs(ProcessHandle h) {
    return h.info().commandLine().map(c -> c.contains("kafka.Kafka") || c.contains("io.hoptrace")).orElse(false);
  }

  private static final class StartFailed extends Exception {
    private static final long serialVersionUID = 1L;
  }
}
