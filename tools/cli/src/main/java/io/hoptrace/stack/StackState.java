package io.hoptrace.stack;

import io.hoptrace.launcher.Instance;
import io.hoptrace.launcher.groups.GroupMembers;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The running stack as {@code ./stack status} and {@code ./stack stop} see it: the supervisor's pid,
 * each instance (role, index, pid, ports, addresses, static group member id) and whether start-up finished. Written atomically.
 */
final class StackState {
  enum Phase { STARTING, READY, FAILED, STOPPING }

  private final Path file;
  private final Properties props = new Properties();

  private StackState(Path file) {
    this.file = file;
  }

  static StackState fresh(Path file, long supervisorPid) {
    StackState s = new StackState(file);
    s.props.setProperty("supervisor.pid", Long.toString(supervisorPid));
    s.props.setProperty("phase", Phase.STARTING.name());
    return s;
  }

  static Optional<StackState> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    StackState s = new StackState(file);
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      s.props.load(r);
      return Optional.of(s);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  long supervisorPid() {
    return Long.parseLong(props.getProperty("supervisor.pid", "-1"));
  }

  Phase phase() {
    return Phase.valueOf(props.getProperty("phase", Phase.STARTING.name()));
  }

  String failure() {
    return props.getProperty("failure", "");
  }

  synchronized void phase(Phase phase, String failure) {
    props.setProperty("phase", phase.name());
    if (failure != null) {
      props.setProperty("failure", failure);
    }
    write();
  }

  /** Records a healthy instance: its identity (role and index), process, ports, addresses and start-up time. */
  synchronized void instance(Instance i, Duration took) {
    List<String> names = names();
    if (!names.contains(i.name())) {
      names.add(i.name());
    }
    props.setProperty("components", String.join(",", names));
    props.setProperty(i.name() + ".role", i.role().id());
    props.setProperty(i.name() + ".index", Integer.toString(i.id().index()));
    props.setProperty(i.name() + ".pid", Long.toString(i.pid()));
    props.setProperty(i.name() + ".ports", i.ports().entrySet().stream()
        .map(e -> e.getKey().envVar() + "=" + e.getValue()).sorted().collect(Collectors.joining(",")));
    props.setProperty(i.name() + ".addresses", String.join("\n", i.addresses()));
    props.setProperty(i.name() + ".startMillis", Long.toString(took.toMillis()));
    // the id it joins its consumer group with as a static member: status attributes that member to it
    GroupMembers.staticMemberId(i).ifPresentOrElse(id -> props.setProperty(i.name() + ".groupInstanceId", id),
        () -> props.remove(i.name() + ".groupInstanceId"));
    write();
  }

  List<String> names() {
    String v = props.getProperty("components", "");
    List<String> out = new ArrayList<>();
    for (String n : v.split(",")) {
      if (!n.isBlank()) {
        out.add(n);
      }
    }
    return out;
  }

  /** Where the stack's Kafka answers (every broker), for status to ask it about consumer groups. */
  synchronized void kafka(String bootstrapServers) {
    props.setProperty("kafka.bootstrap", bootstrapServers);
    write();
  }

  Optional<String> kafka() {
    return Optional.ofNullable(props.getProperty("kafka.bootstrap"));
  }

  String role(String component) {
    return props.getProperty(component + ".role", "");
  }

  /** The ports it binds, {@code 8000} or {@code 4317, 4318, 13133}; "" when none (external). */
  String ports(String component) {
    String v = props.getProperty(component + ".ports", "");
    List<String> out = new ArrayList<>();
    for (String entry : v.split(",")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        out.add(entry.substring(eq + 1));
      }
    }
    return String.join(", ", out);
  }

  long pid(String component) {
    return Long.parseLong(props.getProperty(component + ".pid", "-1"));
  }

  /** The pid of every instance recorded (none for external ones). */
  java.util.Set<Long> pids() {
    java.util.Set<Long> out = new java.util.TreeSet<>();
    names().forEach(n -> {
      if (pid(n) > 0) {
        out.add(pid(n));
      }
    });
    return out;
  }

  /** The pid of each instance that joins its consumer group as a static member, by its static member id. */
  java.util.Map<String, Long> pidByStaticMember() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    names().forEach(n -> {
      String id = props.getProperty(n + ".groupInstanceId");
      if (id != null && pid(n) > 0) {
        out.put(id, pid(n));
      }
    });
    return out;
  }

  List<String> addresses(String component) {
    String v = props.getProperty(component + ".addresses", "");
    return v.isEmpty() ? List.of() : List.of(v.split("\n"));
  }

  void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // harmless: status notices the supervisor is gone
    }
  }

  private void write() {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        props.store(w, "hoptrace ./stack state; do not edit");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
