package io.hoptrace.launcher;

import io.hoptrace.config.Env;
import io.hoptrace.process.Ports;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which port each instance binds. {@link #fromEnv}: the port's variable or its default (the fixed
 * contract of {@code ./stack up}) for the first instance that asks for it, a free port for any
 * other (a second collector process's health port, a second inventory); {@link #free}: free ports
 * only, for a private stack that must never touch those of a running {@code ./stack up}. An
 * instance keeps its ports across restarts.
 */
public final class PortPlan {
  private final Env env;
  private final Map<String, Integer> assigned = new HashMap<>();
  private final Set<String> configuredUsed = new HashSet<>();
  private final Set<Integer> handedOut = new HashSet<>();

  private PortPlan(Env env) {
    this.env = env;
  }

  public static PortPlan fromEnv(Env env) {
    return new PortPlan(env);
  }

  public static PortPlan free() {
    return new PortPlan(null);
  }

  /** The port {@code id} binds for {@code port}; the same answer every time for the same instance. */
  public synchronized int port(InstanceId id, Port port) {
    return assigned.computeIfAbsent(id.name() + "/" + port.name(), k -> {
      if (env != null && configuredUsed.add(port.envVar())) {
        int p = env.port(port.envVar(), port.defaultPort());
        handedOut.add(p);
        return p;
      }
      return freshFreePort();
    });
  }

  /** A port the OS calls free that this plan has not handed out already (it may return one twice before it is bound). */
  private int freshFreePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int p = Ports.freePort();
      if (handedOut.add(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no fresh free port on 127.0.0.1 after 100 attempts");
  }
}
