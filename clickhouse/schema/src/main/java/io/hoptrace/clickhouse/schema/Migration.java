package io.hoptrace.clickhouse.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One versioned schema step: a SQL resource of statements, each ending with {@code ;} at the end of
 * a line. {@code ${database}} is replaced by the target database.
 */
public record Migration(int version, String name, String sql) {

  static Migration load(String resourceName) {
    int version = Integer.parseInt(resourceName.substring(0, resourceName.indexOf('_')));
    String path = "/io/hoptrace/clickhouse/migrations/" + resourceName;
    try (InputStream in = Migration.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration resource " + path + " is missing from the build");
      }
      return new Migration(version, resourceName, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SHA-256 of the SQL text: a migration edited after it was applied is detected, not silently skipped. */
  public String checksum() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<String> statements(String database) {
    return split(sql.replace("${database}", database));
  }

  /** Splits on {@code ;} at the end of a line; drops comment-only lines. */
  static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(line, 0, line.lastIndexOf(';'));
        String stmt = current.toString().strip();
        if (!stmt.isEmpty()) {
          out.add(stmt);
        }
        current.setLength(0);
      } else {
        current.append(line).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
