package io.hoptrace.faults.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** JSON with the wrong types: one to three values of a valid document replaced by values of another type. */
public final class JsonMutator {
  private JsonMutator() {}

  public static String wrongTypes(Random r, String validJson) {
    JsonObject doc = new JsonObject(validJson);
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits; e++) {
      List<Object[]> slots = new ArrayList<>(); // {container, key or index}
      collect(doc, slots);
      Object[] slot = slots.get(r.nextInt(slots.size()));
      Object value = wrongValue(r);
      if (slot[0] instanceof JsonObject o) {
        o.put((String) slot[1], value);
      } else {
        ((JsonArray) slot[0]).set((Integer) slot[1], value);
      }
    }
    return doc.encode();
  }

  private static void collect(Object node, List<Object[]> slots) {
    if (node instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        slots.add(new Object[] {o, k});
        collect(o.getValue(k), slots);
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        slots.add(new Object[] {a, i});
        collect(a.getValue(i), slots);
      }
    }
  }

  private static Object wrongValue(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> r.nextInt();
      case 1 -> -1;
      case 2 -> 1.5e308;
      case 3 -> r.nextBoolean();
      case 4 -> null;
      case 5 -> new JsonArray().add(1).add("x");
      case 6 -> new JsonObject().put("unexpected", true);
      case 7 -> "";
      case 8 -> "ffff";
      case 9 -> "not-a-number-" + r.nextInt(100);
      case 10 -> "\u0000\ud83d\ude00\u202e";
      default -> "9".repeat(40);
    };
  }

  /** {@code depth} nested arrays: [[[[...]]]]. */
  public static String deepArrays(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  /** A document whose first field nests {@code depth} objects deep. */
  public static String deepObjects(String field, int depth) {
    return ("{\"" + field + "\":").repeat(depth) + "1" + "}".repeat(depth);
  }
}
