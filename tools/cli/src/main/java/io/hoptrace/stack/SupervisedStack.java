package io.hoptrace.stack;

import io.hoptrace.launcher.Instance;
import io.hoptrace.launcher.Progress;
import io.hoptrace.launcher.Scale;
import io.hoptrace.launcher.Stack;
import java.time.Duration;
import java.util.List;

/**
 * The stack of {@code ./stack up}: the launcher's, started whole, and recorded in the state file
 * that {@code ./stack status} and {@code ./stack stop} read (this process is its supervisor).
 */
final class SupervisedStack {
  private final StackConfig config;
  private final Console console;
  private final Stack stack;
  private final Scale scale;
  private StackState state;

  /** The stack of {@code HOPTRACE_SCALE} (one of each role when unset). */
  SupervisedStack(StackConfig config, Console console) {
    this(config, console, Scale.parse(config.env().optional(SCALE_VARIABLE).orElse(""), SCALE_VARIABLE));
  }

  /** {@code HOPTRACE_SCALE}: the default of {@code --scale}. */
  static final String SCALE_VARIABLE = "HOPTRACE_SCALE";

  SupervisedStack(StackConfig config, Console console, Scale scale) {
    this.config = config;
    this.scale = scale;
    this.console = console;
    Progress shown = console.progress();
    this.stack = new Stack(config.launch(), new Progress() {
      @Override
      public void starting(Instance instance) {
        shown.starting(instance);
      }

      @Override
      public void healthy(Instance instance, Duration took) {
        shown.healthy(instance, took);
        if (state != null) {
          state.instance(instance, took);
          if (instance instanceof io.hoptrace.launcher.KafkaInstance k) {
            state.kafka(k.bootstrapServers());
          }
        }
      }

      @Override
      public void stopping(Instance instance) {
        shown.stopping(instance);
      }

      @Override
      public void detail(String message) {
        console.detail(message);
      }

      @Override
      public void download(String what, long done, long total) {
        shown.download(what, done, total);
      }

      @Override
      public void warning(String message) {
        console.error(message);
      }
    });
  }

  /** Starts everything; returns once all is healthy. Throws (after stopping what started) otherwise. */
  void up() {
    StackState.read(config.stateFile()).ifPresent(s -> {
      if (ProcessHandle.of(s.supervisorPid()).map(ProcessHandle::isAlive).orElse(false)) {
        throw new IllegalStateException("the stack is already running (supervisor pid " + s.supervisorPid()
            + "); see ./stack status, or stop it with ./stack stop");
      }
    });
    state = StackState.fresh(config.stateFile(), ProcessHandle.current().pid());
    state.phase(StackState.Phase.STARTING, null);
    try {
      stack.start(scale.system());
      state.phase(StackState.Phase.READY, null);
    } catch (RuntimeException e) {
      state.phase(StackState.Phase.FAILED, e.getMessage());
      state.delete();
      throw e;
    }
  }

  /** Stops everything, newest first. Safe to call twice. */
  void down() {
    if (state != null && !stack.instances().isEmpty()) {
      state.phase(StackState.Phase.STOPPING, null);
    }
    stack.close();
    if (state != null) {
      state.delete();
    }
  }

  /** Every running instance (a test looks at them). */
  List<Instance> instances() {
    return stack.instances();
  }

  List<String> addresses() {
    return stack.addresses();
  }

  /** Instances whose process has ended although nobody stopped them. */
  List<Instance> dead() {
    return stack.dead();
  }
}
