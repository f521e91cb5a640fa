package io.hoptrace.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A topic as the project wants it: name, partition count and topic-level configs. Created when
 * missing; configs of an existing topic are brought in line; partitions are never changed silently
 * (that would reorder keys).
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new IllegalArgumentException("invalid topic name '" + name + "': use letters, digits, '.', '_' and '-'");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
    }
    configs = Map.copyOf(new TreeMap<>(configs));
  }

  /** The same settings under another name (tests use private topics). */
  public TopicSpec withName(String newName) {
    return new TopicSpec(newName, partitions, configs);
  }

  public TopicSpec withConfig(String key, String value) {
    TreeMap<String, String> c = new TreeMap<>(configs);
    c.put(key, value);
    return new TopicSpec(name, partitions, c);
  }
}
