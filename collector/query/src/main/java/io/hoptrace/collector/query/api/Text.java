package io.hoptrace.collector.query.api;

import io.hoptrace.web.ApiError;

/** Rules for free-text parameters (span names, attribute values) and for quoting them in messages. */
public final class Text {
  private Text() {}

  /**
   * Accepts printable text without the characters and sequences that only SQL or shell tricks need:
   * quotes, backquotes, backslashes, semicolons and comment markers. The queries are parametrised
   * anyway; this makes an injection attempt a visible 400 instead of a silent "no match".
   */
  public static String requirePlain(String parameter, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw ApiError.invalidParameter(parameter, parameter + " is longer than " + maxLength + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '\'' || c == '"' || c == '`' || c == '\\' || c == ';') {
        throw ApiError.invalidParameter(parameter, parameter + " '" + clip(value) + "' contains " + describe(c)
            + ", which no span name or attribute value of this system uses");
      }
    }
    if (value.contains("--") || value.contains("/*") || value.contains("*/")) {
      throw ApiError.invalidParameter(parameter, parameter + " '" + clip(value) + "' contains an SQL comment marker");
    }
    return value;
  }

  /** A value shown back in an error message: at most 60 characters, control characters replaced. */
  public static String clip(String value) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < value.length() && sb.length() < 60; i++) {
      char c = value.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return value.length() > 60 ? sb + "..." : sb.toString();
  }

  private static String describe(char c) {
    return switch (c) {
      case '\'' -> "a quote (')";
      case '"' -> "a double quote (\")";
      case '`' -> "a backquote (`)";
      case '\\' -> "a backslash";
      case ';' -> "a semicolon";
      default -> "a control character (U+" + String.format("%04X", (int) c) + ")";
    };
  }
}
