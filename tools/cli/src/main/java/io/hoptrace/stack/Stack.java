package io.hoptrace.stack;

import io.hoptrace.process.Ports;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Starts the components in order (Kafka, ClickHouse, then the services), each healthy before the
 * next, and stops them in reverse. A failure stops what was started: nothing is left half-up.
 */
final class Stack {
  private final StackConfig config;
  private final Console console;
  private final List<Component> components;
  private final List<Component> started = Collections.synchronizedList(new ArrayList<>());
  private StackState state;

  Stack(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
    List<Component> all = new ArrayList<>();
    all.add(new KafkaComponent(config, console));
    all.add(new ClickHouseComponent(config, console));
    for (ServiceSpec spec : Services.all(config)) {
      all.add(new ServiceComponent(spec, config));
    }
    this.components = List.copyOf(all);
  }

  /** Starts everything; returns once all is healthy. Throws (after stopping what started) otherwise. */
  void up() {
    StackState.read(config.stateFile()).ifPresent(s -> {
      if (ProcessHandle.of(s.supervisorPid()).map(ProcessHandle::isAlive).orElse(false)) {
        throw new IllegalStateException("the stack is already running (supervisor pid " + s.supervisorPid()
            + "); see ./stack status, or stop it with ./stack stop");
      }
    });
    preflight();
    state = StackState.fresh(config.stateFile(), ProcessHandle.current().pid());
    state.phase(StackState.Phase.STARTING, null);
    try {
      for (Component c : components) {
        console.step("starting " + c.name());
        c.start();
        started.add(c);
        state.component(c);
      }
      state.phase(StackState.Phase.READY, null);
    } catch (RuntimeException e) {
      state.phase(StackState.Phase.FAILED, e.getMessage());
      console.error(e.getMessage());
      down();
      throw e;
    }
  }

  /** Stops what was started, newest first. Safe to call twice. */
  void down() {
    List<Component> toStop;
    synchronized (started) {
      toStop = new ArrayList<>(started);
      started.clear();
    }
    if (toStop.isEmpty()) {
      return;
    }
    if (state != null) {
      state.phase(StackState.Phase.STOPPING, null);
    }
    Collections.reverse(toStop);
    for (Component c : toStop) {
      console.step("stopping " + c.name());
      try {
        c.stop();
      } catch (RuntimeException e) {
        console.error("stopping " + c.name() + ": " + e.getMessage());
      }
    }
    if (state != null) {
      state.delete();
    }
  }

  List<String> addresses() {
    List<String> out = new ArrayList<>();
    for (Component c : components) {
      out.addAll(c.addresses());
    }
    return out;
  }

  /** Components started by us whose process has ended. */
  List<Component> dead() {
    synchronized (started) {
      return started.stream().filter(c -> !c.isAlive()).toList();
    }
  }

  /** Every port we will bind must be free before anything starts; all conflicts are reported at once. */
  private void preflight() {
    List<String> problems = new ArrayList<>();
    for (Component c : components) {
      for (PortClaim claim : c.ports()) {
        try {
          Ports.requireFree("127.0.0.1", claim.port(), claim.what(), claim.envVar());
        } catch (Ports.PortInUseException e) {
          problems.add(e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new Ports.PortInUseException(String.join("\n       ", problems) + "\n       nothing was started.");
    }
  }
}
