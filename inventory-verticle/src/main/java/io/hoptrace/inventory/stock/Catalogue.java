package io.hoptrace.inventory.stock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The products seeded once into an empty stock topic: the built-in list, or a JSON file. Blocking I/O: call off the event loop. */
public final class Catalogue {
  private static final String BUILT_IN = "/io/hoptrace/inventory/catalogue.json";

  private Catalogue() {}

  public static List<Product> load(Optional<Path> file) {
    String json;
    String where;
    try {
      if (file.isPresent()) {
        where = file.get().toString();
        json = Files.readString(file.get(), StandardCharsets.UTF_8);
      } else {
        where = "built-in catalogue";
        try (InputStream in = Catalogue.class.getResourceAsStream(BUILT_IN)) {
          json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the seed catalogue " + file.map(Path::toString).orElse(BUILT_IN)
          + " (INVENTORY_SEED_FILE): " + e.getMessage(), e);
    }
    return parse(json, where);
  }

  static List<Product> parse(String json, String where) {
    List<Product> products = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try {
      for (Object o : new JsonArray(json)) {
        Product p = Product.fromJson((JsonObject) o);
        if (!ids.add(p.productId())) {
          throw new IllegalArgumentException("product " + p.productId() + " is listed twice");
        }
        products.add(p);
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the seed catalogue (" + where + ") is invalid: " + e.getMessage()
          + "; expected a JSON array of {\"productId\", \"name\", \"price\", \"stock\"}", e);
    }
    return products;
  }
}
