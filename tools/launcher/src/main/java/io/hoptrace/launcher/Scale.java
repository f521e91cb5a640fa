package io.hoptrace.launcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How many processes of each scalable role a stack runs: {@code ./stack up --scale
 * inventory=3,order=2,receiver=2,ingester=2} (or {@code HOPTRACE_SCALE}). Roles not named run once.
 * Naming {@code receiver} or {@code ingester} splits the collector into its roles, each a process
 * of its own (plus one {@code query} process for the explorer); otherwise it runs whole.
 *
 * <p>What scales how: receivers are stateless (put a load balancer in front of them); ingesters
 * share one consumer group per signal, so more than the topic's partitions (3) stay idle; order
 * instances each read every result; inventory instances share the {@code stock-reductions}
 * partitions (docs/scaling.md).
 */
public final class Scale {
  /** The roles {@code --scale} may name. */
  public static final List<Role> SCALABLE = List.of(Role.INVENTORY, Role.ORDER, Role.RECEIVER, Role.INGESTER);
  /** More processes than this of one role is a typo on a machine like this one. */
  public static final int MAX = 9;

  private final Map<Role, Integer> counts;

  private Scale(Map<Role, Integer> counts) {
    this.counts = Collections.unmodifiableMap(new EnumMap<>(counts));
  }

  /** One of each: the stack as {@code ./stack up} always ran it. */
  public static Scale single() {
    return new Scale(new EnumMap<>(Role.class));
  }

  /**
   * Parses {@code inventory=3,order=2}; names the bad entry otherwise ({@code source} is the option or
   * variable it came from). Blank means {@link #single}.
   */
  public static Scale parse(String spec, String source) {
    Map<Role, Integer> counts = new EnumMap<>(Role.class);
    if (spec == null || spec.isBlank()) {
      return single();
    }
    String roles = String.join(", ", SCALABLE.stream().map(Role::id).toList());
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(source + ": '" + p + "' is not ROLE=COUNT (e.g. " + source + " order=2,receiver=2)");
      }
      String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String number = p.substring(eq + 1).trim();
      Role role = SCALABLE.stream().filter(r -> r.id().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
          source + ": '" + name + "' cannot be scaled" + (name.equals("kafka") ? " here (HOPTRACE_KAFKA_BROKERS=3 runs three brokers)" : "")
              + "; roles: " + roles));
      int n;
      try {
        n = Integer.parseInt(number);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(source + ": " + name + "=" + number + " is not a number of instances (1 to " + MAX + ")");
      }
      if (n < 1 || n > MAX) {
        throw new IllegalArgumentException(source + ": " + name + "=" + n + " is out of range: 1 to " + MAX + " instances");
      }
      if (counts.put(role, n) != null) {
        throw new IllegalArgumentException(source + ": " + name + " is named twice");
      }
    }
    return new Scale(counts);
  }

  /** Processes of {@code role}: 1 unless scaled. */
  public int count(Role role) {
    return counts.getOrDefault(role, 1);
  }

  /** The collector runs as separate receiver, ingester and query processes. */
  public boolean splitsCollector() {
    return counts.containsKey(Role.RECEIVER) || counts.containsKey(Role.INGESTER);
  }

  /** The whole system in start order, each role as often as it runs. */
  public List<Role> system() {
    List<Role> roles = new ArrayList<>(Stack.INFRASTRUCTURE);
    if (splitsCollector()) {
      add(roles, Role.RECEIVER);
      add(roles, Role.INGESTER);
      roles.add(Role.QUERY);
    } else {
      roles.add(Role.COLLECTOR);
    }
    add(roles, Role.INVENTORY);
    add(roles, Role.ORDER);
    return roles;
  }

  private void add(List<Role> roles, Role role) {
    for (int i = 0; i < count(role); i++) {
      roles.add(role);
    }
  }

  /** {@code inventory=3,order=2} (the roles scaled beyond one), or {@code ""}. */
  @Override
  public String toString() {
    return String.join(",", counts.entrySet().stream().map(e -> e.getKey().id() + "=" + e.getValue()).toList());
  }
}
