package io.hoptrace.launcher;

import io.hoptrace.process.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A running system, or part of one: its instances in start order. {@link #start(List)} plans every
 * port and checks it is free before anything starts, then starts each instance once the one before
 * is healthy; a failure stops what that call started, so nothing is left half-up. {@link #close}
 * stops everything, newest first.
 */
public final class Stack implements AutoCloseable {
  /** The whole system as {@code ./stack up} runs it. */
  public static final List<Role> SYSTEM = List.of(Role.KAFKA, Role.CLICKHOUSE, Role.COLLECTOR, Role.INVENTORY, Role.ORDER);
  /** The whole system with the collector's receiver and ingester as processes of their own (the fault suite). */
  public static final List<Role> SYSTEM_SPLIT = List.of(Role.KAFKA, Role.CLICKHOUSE, Role.RECEIVER, Role.INGESTER, Role.INVENTORY, Role.ORDER);
  /** Kafka and ClickHouse only. */
  public static final List<Role> INFRASTRUCTURE = List.of(Role.KAFKA, Role.CLICKHOUSE);

  private final LaunchConfig config;
  private final Progress progress;
  private final List<Instance> instances = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  public Stack(LaunchConfig config, Progress progress) {
    this.config = config;
    this.progress = progress;
  }

  public LaunchConfig config() {
    return config;
  }

  /**
   * Starts one instance of each role, in this order, each healthy before the next. Throws (having
   * stopped what it started) when a port is taken (all conflicts at once, before anything starts) or
   * an instance does not become healthy.
   */
  public synchronized void start(List<Role> roles) {
    List<Instance> planned = plan(roles);
    List<Instance> started = new ArrayList<>();
    try {
      for (Instance i : planned) {
        startTimed(i);
        started.add(i);
      }
    } catch (RuntimeException e) {
      Collections.reverse(started);
      started.forEach(this::stopQuietly);
      instances.removeAll(planned);
      throw e;
    }
  }

  /** Defines one instance of each role (ports chosen, environment derived) and checks every port is free; starts nothing. */
  synchronized List<Instance> plan(List<Role> roles) {
    List<Instance> planned = new ArrayList<>();
    try {
      for (Role r : roles) {
        planned.add(define(r, Map.of()));
      }
      preflight(planned);
      return planned;
    } catch (RuntimeException e) {
      instances.removeAll(planned);
      throw e;
    }
  }

  /** One more process of {@code role} (a fresh collector for a benchmark, services with telemetry off), with extra environment; returns once healthy. */
  public synchronized JvmInstance start(Role role, Map<String, String> extraEnv) {
    Instance i = define(role, extraEnv);
    try {
      preflight(List.of(i));
      startTimed(i);
    } catch (RuntimeException e) {
      instances.remove(i);
      throw e;
    }
    return (JvmInstance) i;
  }

  /** Stops an instance and forgets it (its role's next instance may take its place). */
  public void stop(Instance instance) {
    progress.stopping(instance);
    instance.stop();
    instances.remove(instance);
  }

  /** Stops everything, newest first; a part that will not stop is reported and the others still stop. */
  @Override
  public void close() {
    closed = true;
    List<Instance> all = new ArrayList<>(instances);
    Collections.reverse(all);
    all.forEach(this::stopQuietly);
    instances.clear();
  }

  public List<Instance> instances() {
    return List.copyOf(instances);
  }

  /** The first instance of {@code role}, if this stack has one. */
  public Optional<Instance> find(Role role) {
    return instances.stream().filter(i -> i.role() == role).findFirst();
  }

  /** Every instance of {@code role}, by index. */
  public List<Instance> all(Role role) {
    return instances.stream().filter(i -> i.role() == role).sorted(java.util.Comparator.comparingInt(i -> i.id().index())).toList();
  }

  public Instance instance(Role role) {
    return find(role).orElseThrow(() -> new IllegalStateException("this stack runs no " + role.id()));
  }

  public JvmInstance jvm(Role role) {
    Instance i = instance(role);
    if (!(i instanceof JvmInstance j)) {
      throw new IllegalArgumentException(role.id() + " is not one of our JVMs");
    }
    return j;
  }

  public KafkaInstance kafka() {
    return (KafkaInstance) instance(Role.KAFKA);
  }

  public ClickHouseInstance clickHouse() {
    return (ClickHouseInstance) instance(Role.CLICKHOUSE);
  }

  /** Where OTLP goes in: the whole collector, or the receiver. */
  public JvmInstance receiver() {
    return (JvmInstance) find(Role.COLLECTOR).or(() -> find(Role.RECEIVER))
        .orElseThrow(() -> new IllegalStateException("this stack runs no collector or receiver"));
  }

  /** Instances whose process has ended although nobody stopped them. */
  public List<Instance> dead() {
    return instances.stream().filter(i -> !i.isAlive()).toList();
  }

  public List<String> addresses() {
    List<String> out = new ArrayList<>();
    instances.forEach(i -> out.addAll(i.addresses()));
    return out;
  }

  private Instance define(Role role, Map<String, String> extraEnv) {
    int index = 1 + instances.stream().filter(i -> i.role() == role).mapToInt(i -> i.id().index()).max().orElse(0);
    InstanceId id = new InstanceId(role, index);
    Instance instance = switch (role) {
      case KAFKA -> new KafkaInstance(id, config, progress);
      case CLICKHOUSE -> new ClickHouseInstance(id, config, progress);
      default -> {
        Map<Port, Integer> ports = new EnumMap<>(Port.class);
        role.ports().forEach(p -> ports.put(p, config.ports().port(id, p)));
        JvmInstance j = new JvmInstance(id, config, ports, Environments.of(id, ports, config, this, extraEnv));
        j.onClose(() -> instances.remove(j));
        yield j;
      }
    };
    instances.add(instance);
    return instance;
  }

  private void preflight(List<Instance> planned) {
    List<String> problems = new ArrayList<>();
    for (Instance i : planned) {
      i.ports().forEach((port, number) -> {
        try {
          Ports.requireFree("127.0.0.1", number, port.what(), port.envVar());
        } catch (Ports.PortInUseException e) {
          problems.add(e.getMessage());
        }
      });
    }
    if (!problems.isEmpty()) {
      throw new Ports.PortInUseException(String.join("\n       ", problems) + "\n       nothing was started.");
    }
  }

  private void startTimed(Instance i) {
    if (closed) {
      // stopped while starting (Ctrl-C): start nothing more, or it would outlive us
      throw new IllegalStateException("the stack is stopping; " + i.name() + " was not started");
    }
    progress.starting(i);
    long t0 = System.nanoTime();
    i.start();
    if (closed) {
      stopQuietly(i); // close() ran while it started: it may have missed it
      throw new IllegalStateException("the stack is stopping; " + i.name() + " was stopped again");
    }
    progress.healthy(i, Duration.ofNanos(System.nanoTime() - t0));
  }

  private void stopQuietly(Instance i) {
    try {
      progress.stopping(i);
      i.stop();
    } catch (RuntimeException e) {
      progress.warning("stopping " + i.name() + ": " + e.getMessage());
    }
  }
}
