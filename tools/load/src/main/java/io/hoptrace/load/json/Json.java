package io.hoptrace.load.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON answers of the services and the trace explorer: objects as {@link Obj} (in
 * order), arrays as lists, strings, numbers ({@code Long} when whole, else {@code Double}),
 * booleans and null. A few dozen lines of the JDK instead of a JSON library on the class path of a
 * command that must answer in a second.
 */
public final class Json {
  private final String s;
  private int at;

  private Json(String s) {
    this.s = s;
  }

  /** Any JSON value; {@link IllegalArgumentException} naming the position when it is not JSON. */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.space();
    Object v = p.value();
    p.space();
    if (p.at != text.length()) {
      throw p.error("text after the value");
    }
    return v;
  }

  /** A JSON object. */
  public static Obj object(String text) {
    if (parse(text) instanceof Obj o) {
      return o;
    }
    throw new IllegalArgumentException("not a JSON object: " + abbreviate(text));
  }

  /** {@code s} as a JSON string literal, quotes included. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** A JSON object, read: typed lookups that say what is missing. */
  public record Obj(Map<String, Object> map) {
    public boolean has(String key) {
      return map.containsKey(key);
    }

    /** The string at {@code key}, or null when absent or null. */
    public String string(String key) {
      Object v = map.get(key);
      return v == null ? null : v instanceof String str ? str : String.valueOf(v);
    }

    public String string(String key, String otherwise) {
      String v = string(key);
      return v == null ? otherwise : v;
    }

    public long number(String key) {
      if (map.get(key) instanceof Number n) {
        return n.longValue();
      }
      throw new IllegalStateException("no number '" + key + "' in " + abbreviate(map.toString()));
    }

    public int integer(String key) {
      return Math.toIntExact(number(key));
    }

    public boolean bool(String key) {
      return Boolean.TRUE.equals(map.get(key));
    }

    /** The object at {@code key}, or null when absent. */
    public Obj obj(String key) {
      return map.get(key) instanceof Obj o ? o : null;
    }

    /** The array at {@code key}, empty when absent. */
    public List<Object> array(String key) {
      Object v = map.get(key);
      if (v == null) {
        return List.of();
      }
      if (v instanceof List<?> l) {
        return java.util.Collections.unmodifiableList(l);
      }
      throw new IllegalStateException("'" + key + "' is not an array");
    }

    /** The objects of the array at {@code key}. */
    public List<Obj> objects(String key) {
      return array(key).stream().map(o -> (Obj) o).toList();
    }

    /** The array at {@code key} as strings. */
    public List<String> strings(String key) {
      return array(key).stream().map(String::valueOf).toList();
    }
  }

  private Object value() {
    if (at >= s.length()) {
      throw error("a value");
    }
    char c = s.charAt(at);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Obj object() {
    Map<String, Object> m = new LinkedHashMap<>();
    at++;
    space();
    if (peek('}')) {
      at++;
      return new Obj(m);
    }
    while (true) {
      space();
      if (!peek('"')) {
        throw error("a key");
      }
      String key = string();
      space();
      expect(':');
      space();
      m.put(key, value());
      space();
      if (peek(',')) {
        at++;
      } else {
        expect('}');
        return new Obj(m);
      }
    }
  }

  private List<Object> array() {
    List<Object> l = new ArrayList<>();
    at++;
    space();
    if (peek(']')) {
      at++;
      return l;
    }
    while (true) {
      space();
      l.add(value());
      space();
      if (peek(',')) {
        at++;
      } else {
        expect(']');
        return l;
      }
    }
  }

  private String string() {
    at++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (at >= s.length()) {
        throw error("the end of a string");
      }
      char c = s.charAt(at++);
      if (c == '"') {
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (at >= s.length()) {
        throw error("an escape");
      }
      char e = s.charAt(at++);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (at + 4 > s.length()) {
            throw error("four hex digits");
          }
          b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
          at += 4;
        }
        default -> b.append(e);
      }
    }
  }

  private Object number() {
    int start = at;
    while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) {
      at++;
    }
    String n = s.substring(start, at);
    if (n.isEmpty()) {
      throw error("a value");
    }
    try {
      if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) {
        return Long.parseLong(n);
      }
      return Double.parseDouble(n);
    } catch (NumberFormatException e) {
      at = start;
      throw error("a number");
    }
  }

  private Object literal(String word, Object value) {
    if (!s.startsWith(word, at)) {
      throw error("a value");
    }
    at += word.length();
    return value;
  }

  private void space() {
    while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
      at++;
    }
  }

  private boolean peek(char c) {
    return at < s.length() && s.charAt(at) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("'" + c + "'");
    }
    at++;
  }

  private IllegalArgumentException error(String expected) {
    return new IllegalArgumentException("not JSON: expected " + expected + " at position " + at + " of " + abbreviate(s));
  }

  private static String abbreviate(String text) {
    return text.length() > 120 ? text.substring(0, 117) + "..." : text;
  }
}
