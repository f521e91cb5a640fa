package io.hoptrace.collector;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a collector process does; by default all of it. */
public enum Role {
  /** OTLP/HTTP and OTLP/gRPC in, Kafka out. Stateless: scale behind a load balancer. */
  RECEIVER,
  /** Kafka in, ClickHouse out. Scales with the topics' partitions (one consumer group per signal). */
  INGESTER,
  /** The trace explorer, its JSON API and the alert rules, over ClickHouse. */
  QUERY;

  /** Parses {@code receiver,ingester}; names the bad entry otherwise. */
  public static Set<Role> parse(String list, String source) {
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : list.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      try {
        roles.add(Role.valueOf(p.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + "=" + list + " is invalid: unknown role '" + p + "' (roles: receiver, ingester, query)");
      }
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException(source + " is empty: name at least one role (receiver, ingester)");
    }
    return roles;
  }
}
