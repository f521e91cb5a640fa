package io.hoptrace.collector.query.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The alert rules of a YAML file, validated strictly: an unknown key, a missing field or a bad value
 * stops start-up with the file, the line, the rule and the field named. The format:
 *
 * <pre>
 * defaults:                 # optional, for every rule that does not say otherwise
 *   interval: 30s
 *   for: 1m
 *   webhook: http://127.0.0.1:9095/alerts
 * rules:
 *   - name: order-error-rate          # unique; letters, digits, - _ .
 *     description: ...                # optional
 *     sql: SELECT ...                 # returns one number (first column of the first row)
 *     comparison: ">"                 # > >= < <= == !=
 *     threshold: 0.05
 *     interval: 30s                   # how often to evaluate
 *     for: 2m                         # how long the condition must hold before the alert fires
 *     labels: {severity: warning}     # copied into notifications
 *     webhook: http://...             # optional; else defaults.webhook, else ALERT_WEBHOOK_URL
 * </pre>
 */
public record AlertRules(String source, List<AlertRule> rules) {
  public static final String DEFAULTS_RESOURCE = "/io/hoptrace/collector/query/alerts/default-rules.yaml";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Set<String> TOP = Set.of("defaults", "rules");
  private static final Set<String> DEFAULT_KEYS = Set.of("interval", "for", "webhook", "labels");
  private static final Set<String> RULE_KEYS = Set.of("name", "description", "sql", "comparison", "threshold", "interval", "for", "labels", "webhook");
  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final Duration MAX_INTERVAL = Duration.ofHours(24);

  public AlertRules {
    rules = List.copyOf(rules);
  }

  public static AlertRules none() {
    return new AlertRules("(none)", List.of());
  }

  /** The rules shipped in the jar; {@code webhook} ({@code ALERT_WEBHOOK_URL}) is where they notify. */
  public static AlertRules defaults(Optional<String> webhook) {
    try (InputStream in = AlertRules.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the class path");
      }
      return parse("built-in default rules", new String(in.readAllBytes(), StandardCharsets.UTF_8), webhook);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static AlertRules fromFile(Path file, Optional<String> webhook) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidRulesException("ALERT_RULES_FILE=" + file + " cannot be read: " + e.getMessage());
    }
    return parse(file.toString(), text, webhook);
  }

  public static AlertRules parse(String source, String yaml, Optional<String> envWebhook) {
    envWebhook.ifPresent(w -> url(source, null, null, "ALERT_WEBHOOK_URL", w));
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
    } catch (YAMLException e) {
      throw new InvalidRulesException("alert rules " + source + ": not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      return new AlertRules(source, List.of());
    }
    Map<String, Node> top = mapping(source, root, null, "the file", TOP);
    Duration defInterval = Duration.ofSeconds(30);
    Duration defFor = Duration.ZERO;
    Optional<String> defWebhook = envWebhook;
    Map<String, String> defLabels = Map.of();
    Node defaults = top.get("defaults");
    if (defaults != null) {
      Map<String, Node> d = mapping(source, defaults, null, "defaults", DEFAULT_KEYS);
      if (d.containsKey("interval")) {
        defInterval = duration(source, null, d.get("interval"), "interval", MIN_INTERVAL, MAX_INTERVAL);
      }
      if (d.containsKey("for")) {
        defFor = duration(source, null, d.get("for"), "for", Duration.ZERO, Duration.ofDays(7));
      }
      if (d.containsKey("webhook")) {
        Node w = d.get("webhook");
        defWebhook = Optional.of(url(source, w, null, "webhook", scalar(source, null, w, "webhook")));
      }
      if (d.containsKey("labels")) {
        defLabels = labels(source, null, d.get("labels"));
      }
    }
    Node rulesNode = top.get("rules");
    if (rulesNode == null) {
      return new AlertRules(source, List.of());
    }
    if (!(rulesNode instanceof SequenceNode seq)) {
      throw fail(source, rulesNode, null, "rules", "must be a list of rules (each item starting with '- name: ...')");
    }
    List<AlertRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Node item : seq.getValue()) {
      Map<String, Node> r = mapping(source, item, peekName(item), "a rule", RULE_KEYS);
      String name = scalar(source, null, require(source, item, r, null, "name"), "name");
      if (!NAME.matcher(name).matches()) {
        throw fail(source, r.get("name"), null, "name", "'" + name + "' must be letters, digits, - _ . (at most 64)");
      }
      if (!names.add(name)) {
        throw fail(source, r.get("name"), name, "name", "is used by an earlier rule too; names must be unique");
      }
      String sql = scalar(source, name, require(source, item, r, name, "sql"), "sql").strip();
      String firstWord = sql.split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
      if (!firstWord.equals("SELECT") && !firstWord.equals("WITH")) {
        throw fail(source, r.get("sql"), name, "sql", "must be a SELECT (or WITH ... SELECT) returning one number");
      }
      String cmpText = scalar(source, name, require(source, item, r, name, "comparison"), "comparison");
      Comparison cmp = Comparison.of(cmpText).orElseThrow(() ->
          fail(source, r.get("comparison"), name, "comparison", "'" + cmpText + "' is not one of " + Comparison.symbols()));
      String thresholdText = scalar(source, name, require(source, item, r, name, "threshold"), "threshold");
      double threshold;
      try {
        threshold = Double.parseDouble(thresholdText);
      } catch (NumberFormatException e) {
        throw fail(source, r.get("threshold"), name, "threshold", "'" + thresholdText + "' is not a number");
      }
      if (Double.isNaN(threshold) || Double.isInfinite(threshold)) {
        throw fail(source, r.get("threshold"), name, "threshold", "must be a finite number");
      }
      Duration interval = r.containsKey("interval") ? duration(source, name, r.get("interval"), "interval", MIN_INTERVAL, MAX_INTERVAL) : defInterval;
      Duration forDuration = r.containsKey("for") ? duration(source, name, r.get("for"), "for", Duration.ZERO, Duration.ofDays(7)) : defFor;
      Map<String, String> labels = new LinkedHashMap<>(defLabels);
      if (r.containsKey("labels")) {
        labels.putAll(labels(source, name, r.get("labels")));
      }
      Optional<String> webhook = r.containsKey("webhook")
          ? Optional.of(url(source, r.get("webhook"), name, "webhook", scalar(source, name, r.get("webhook"), "webhook")))
          : defWebhook;
      String description = r.containsKey("description") ? scalar(source, name, r.get("description"), "description") : "";
      rules.add(new AlertRule(name, description, sql, cmp, threshold, interval, forDuration, labels, webhook));
    }
    return new AlertRules(source, rules);
  }

  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static Map<String, Node> mapping(String source, Node node, String rule, String what, Set<String> allowed) {
    if (!(node instanceof MappingNode m)) {
      throw fail(source, node, rule, null, what + " must be a mapping (key: value lines)");
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
      if (key == null || !allowed.contains(key)) {
        throw fail(source, t.getKeyNode(), rule, key, "unknown key in " + what + "; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
      }
      if (out.put(key, t.getValueNode()) != null) {
        throw fail(source, t.getKeyNode(), rule, key, "appears twice");
      }
    }
    return out;
  }

  /** The rule's name before the rule is validated, so even its first error can name it. */
  private static String peekName(Node item) {
    if (item instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name") && t.getValueNode() instanceof ScalarNode v) {
          return v.getValue();
        }
      }
    }
    return null;
  }

  private static Node require(String source, Node ruleNode, Map<String, Node> r, String rule, String field) {
    Node n = r.get(field);
    if (n == null) {
      throw fail(source, ruleNode, rule, field, "is missing");
    }
    return n;
  }

  private static String scalar(String source, String rule, Node node, String field) {
    if (!(node instanceof ScalarNode s) || s.getValue().isBlank()) {
      throw fail(source, node, rule, field, "must be a non-empty value");
    }
    return s.getValue();
  }

  private static Duration duration(String source, String rule, Node node, String field, Duration min, Duration max) {
    String text = scalar(source, rule, node, field);
    Duration d;
    try {
      d = io.hoptrace.config.Env.parseDuration(text);
    } catch (RuntimeException e) {
      throw fail(source, node, rule, field, "'" + text + "' is not a duration (use e.g. 500ms, 30s, 2m, 1h)");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw fail(source, node, rule, field, "'" + text + "' must be between " + min + " and " + max);
    }
    return d;
  }

  private static Map<String, String> labels(String source, String rule, Node node) {
    if (!(node instanceof MappingNode m)) {
      throw fail(source, node, rule, "labels", "must be a mapping of label: value");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
      if (!LABEL.matcher(key).matches()) {
        throw fail(source, t.getKeyNode(), rule, "labels", "label name '" + key + "' must be letters, digits and _");
      }
      out.put(key, scalar(source, rule, t.getValueNode(), "labels." + key));
    }
    return out;
  }

  private static String url(String source, Node node, String rule, String field, String value) {
    try {
      URI u = URI.create(value);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return value;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    if (node == null) {
      throw new InvalidRulesException(field + "=" + value + " is not an http(s) URL");
    }
    throw fail(source, node, rule, field, "'" + value + "' is not an http(s) URL");
  }

  private static InvalidRulesException fail(String source, Node node, String rule, String field, String problem) {
    StringBuilder sb = new StringBuilder("alert rules ").append(source);
    if (node != null) {
      sb.append(", line ").append(node.getStartMark().getLine() + 1);
    }
    if (rule != null) {
      sb.append(", rule '").append(rule).append('\'');
    }
    if (field != null) {
      sb.append(", field '").append(field).append('\'');
    }
    return new InvalidRulesException(sb.append(": ").append(problem).toString());
  }

  /** The rules file is wrong; the message names the file, line, rule and field. */
  public static final class InvalidRulesException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidRulesException(String message) {
      super(message);
    }
  }
}
