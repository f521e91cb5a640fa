package io.hoptrace.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the docs tests read in a Markdown file: its link targets and its headings' anchors, the way
 * GitHub renders them. Fenced code blocks and code spans hold neither links nor headings.
 */
final class Markdown {
  /** The end of every inline link and image: {@code ](target)} or {@code ](target "title")}. */
  private static final Pattern INLINE = Pattern.compile("\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
  private static final Pattern HTML = Pattern.compile("<(?:a|img)\\s[^>]*?(?:href|src)=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
  private static final Pattern LINK_TEXT = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");

  private Markdown() {}

  /** Every link and image target, in order. */
  static List<String> links(String markdown) {
    List<String> targets = new ArrayList<>();
    for (String line : prose(markdown)) {
      String text = CODE_SPAN.matcher(line).replaceAll("");
      for (Pattern p : List.of(INLINE, REFERENCE, HTML)) {
        Matcher m = p.matcher(text);
        while (m.find()) {
          targets.add(m.group(1));
        }
      }
    }
    return targets;
  }

  /** The anchor of every heading, as GitHub makes them ({@code ## Roles and scaling} is {@code #roles-and-scaling}). */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : prose(markdown)) {
      Matcher m = HEADING.matcher(line);
      if (m.matches()) {
        String slug = slug(m.group(1));
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? slug : slug + "-" + n);
      }
    }
    return anchors;
  }

  /**
   * GitHub's slug of a heading's rendered text: lower case; every character that is not a letter, a
   * digit, a combining mark, {@code -}, {@code _} or a space dropped; each space a hyphen.
   */
  static String slug(String heading) {
    String text = LINK_TEXT.matcher(heading).replaceAll("$1").replaceAll("<[^>]+>", "").replace("`", "");
    StringBuilder slug = new StringBuilder();
    text.toLowerCase(java.util.Locale.ROOT).codePoints().forEach(c -> {
      int type = Character.getType(c);
      if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || type == Character.NON_SPACING_MARK
          || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK) {
        slug.appendCodePoint(c);
      } else if (c == ' ') {
        slug.append('-');
      }
    });
    return slug.toString();
  }

  /** The lines outside fenced code blocks. */
  private static List<String> prose(String markdown) {
    List<String> lines = new ArrayList<>();
    String fence = null;
    for (String line : markdown.split("\n", -1)) {
      Matcher m = FENCE.matcher(line);
      if (m.find()) {
        if (fence == null) {
          fence = m.group(1);
        } else if (fence.equals(m.group(1))) {
          fence = null;
        }
        continue;
      }
      if (fence == null) {
        lines.add(line);
      }
    }
    return lines;
  }
}
