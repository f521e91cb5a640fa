package io.hoptrace.config;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads configuration from environment variables with defaults, and fails with a message naming the
 * variable and the bad value. Every component config record is built through one of these.
 */
public final class Env {
  private final Map<String, String> vars;

  private Env(Map<String, String> vars) {
    this.vars = Map.copyOf(vars);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  public static Env of(Map<String, String> vars) {
    return new Env(vars);
  }

  /** The same variables with {@code name} set to {@code value} (a launcher starting a variant of its stack). */
  public Env with(String name, String value) {
    Map<String, String> copy = new java.util.HashMap<>(vars);
    copy.put(name, value);
    return new Env(copy);
  }

  public Optional<String> optional(String name) {
    String v = vars.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /** Every set variable whose name starts with {@code prefix} (e.g. the standard {@code OTEL_} ones). */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new java.util.TreeMap<>();
    vars.forEach((k, v) -> {
      if (k.startsWith(prefix) && v != null && !v.isBlank()) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * A secret given either inline ({@code NAME}) or as a file ({@code NAME_FILE}, the Docker secrets
   * convention; its content without the trailing line break). Both set, an unreadable or an empty
   * file: an error naming the variables. Read once, at start.
   */
  public Optional<String> secret(String name) {
    Optional<String> inline = optional(name);
    Optional<String> file = optional(name + "_FILE");
    if (inline.isPresent() && file.isPresent()) {
      throw new ConfigException(name + " and " + name + "_FILE are both set: set one of them");
    }
    if (file.isEmpty()) {
      return inline;
    }
    String content;
    try {
      content = java.nio.file.Files.readString(Paths.get(file.get()), java.nio.charset.StandardCharsets.UTF_8).strip();
    } catch (java.io.IOException | RuntimeException e) {
      throw new ConfigException(name + "_FILE=" + file.get() + " is invalid: cannot read it (" + e + ")");
    }
    if (content.isEmpty()) {
      throw new ConfigException(name + "_FILE=" + file.get() + " is invalid: the file is empty");
    }
    return Optional.of(content);
  }

  public String string(String name, String defaultValue) {
    return optional(name).orElse(defaultValue);
  }

  public int integer(String name, int defaultValue, int min, int max) {
    return parse(name, defaultValue, s -> {
      int v = Integer.parseInt(s);
      if (v < min || v > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max);
      }
      return v;
    });
  }

  public long longValue(String name, long defaultValue, long min, long max) {
    return parse(name, defaultValue, s -> {
      long v = Long.parseLong(s);
      if (v < min || v > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max);
      }
      return v;
    });
  }

  public int port(String name, int defaultValue) {
    return integer(name, defaultValue, 1, 65535);
  }

  public boolean bool(String name, boolean defaultValue) {
    return parse(name, defaultValue, s -> {
      switch (s.toLowerCase()) {
        case "true": case "1": case "yes": case "on": return true;
        case "false": case "0": case "no": case "off": return false;
        default: throw new IllegalArgumentException("must be true or false");
      }
    });
  }

  /** Durations as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT5S}). */
  public Duration duration(String name, Duration defaultValue) {
    return parse(name, defaultValue, Env::parseDuration);
  }

  public Path path(String name, Path defaultValue) {
    return parse(name, defaultValue, Paths::get);
  }

  public static Duration parseDuration(String s) {
    String t = s.trim().toLowerCase();
    if (t.startsWith("p")) {
      return Duration.parse(s.trim().toUpperCase());
    }
    String[][] units = {{"ms", "1"}, {"s", "1000"}, {"m", "60000"}, {"h", "3600000"}, {"d", "86400000"}};
    for (String[] u : units) {
      if (t.endsWith(u[0])) {
        String num = t.substring(0, t.length() - u[0].length()).trim();
        if (!num.isEmpty() && num.chars().allMatch(Character::isDigit)) {
          return Duration.ofMillis(Long.parseLong(num) * Long.parseLong(u[1]));
        }
      }
    }
    throw new IllegalArgumentException("not a duration (use e.g. 500ms, 5s, 2m, 1h, 7d)");
  }

  private <T> T parse(String name, T defaultValue, Function<String, T> parser) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      return parser.apply(raw.get());
    } catch (RuntimeException e) {
      throw new ConfigException(name + "=" + raw.get() + " is invalid: " + e.getMessage());
    }
  }

  /** Bad configuration: the message names the variable, the value and the rule it broke. */
  public static final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }
}
