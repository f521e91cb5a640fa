package io.hoptrace.stack;

import java.util.List;

/**
 * The project's services in start order (each after what it depends on). Add a service here and
 * {@code ./stack up}, {@code start}, {@code stop} and {@code status} handle it.
 */
final class Services {
  private Services() {}

  static List<ServiceSpec> all() {
    return List.of();
  }
}
