package io.hoptrace.kafka;

import io.hoptrace.config.Env;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How every Kafka client of the project (services, collector, replay, tools) reaches a broker that
 * needs TLS or SASL: the standard client security settings, read once from documented variables.
 * Every producer, consumer and admin client applies them right after its bootstrap servers, before
 * its own settings, so a client's guarantees (acks, idempotence, isolation) cannot be overridden.
 *
 * <ul>
 *   <li>{@code HOPTRACE_KAFKA_CLIENT_PROPERTIES}: a Java properties file of client settings, applied
 *       first (the variables below win over it)</li>
 *   <li>{@code HOPTRACE_KAFKA_SECURITY_PROTOCOL}: {@code PLAINTEXT} (default), {@code SSL},
 *       {@code SASL_PLAINTEXT}, {@code SASL_SSL}</li>
 *   <li>{@code HOPTRACE_KAFKA_SASL_MECHANISM}: {@code PLAIN} (default), {@code SCRAM-SHA-256},
 *       {@code SCRAM-SHA-512}; with {@code HOPTRACE_KAFKA_SASL_USERNAME} and
 *       {@code HOPTRACE_KAFKA_SASL_PASSWORD} (or {@code _FILE}), or a whole
 *       {@code HOPTRACE_KAFKA_SASL_JAAS_CONFIG} (or {@code _FILE})</li>
 *   <li>{@code HOPTRACE_KAFKA_SSL_CA_FILE}: PEM certificate(s) to trust; or
 *       {@code HOPTRACE_KAFKA_SSL_TRUSTSTORE_LOCATION}, {@code _PASSWORD}, {@code _TYPE}</li>
 *   <li>{@code HOPTRACE_KAFKA_SSL_KEYSTORE_LOCATION}, {@code _PASSWORD}, {@code _TYPE},
 *       {@code HOPTRACE_KAFKA_SSL_KEY_PASSWORD}: a client certificate (mutual TLS)</li>
 * </ul>
 *
 * @param properties the Kafka client properties to add (empty: plaintext, as before)
 */
public record KafkaClientSecurity(Map<String, String> properties) {
  static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
  private static final String P = "HOPTRACE_KAFKA_";

  public KafkaClientSecurity {
    properties = Map.copyOf(properties);
  }

  public static KafkaClientSecurity none() {
    return new KafkaClientSecurity(Map.of());
  }

  /** This process's settings, from its environment (read once). */
  public static KafkaClientSecurity process() {
    return ProcessHolder.SECURITY;
  }

  private static final class ProcessHolder {
    static final KafkaClientSecurity SECURITY = fromEnv(Env.system());
  }

  public static KafkaClientSecurity fromEnv(Env env) {
    Map<String, String> p = new TreeMap<>();
    env.optional(P + "CLIENT_PROPERTIES").ifPresent(file -> p.putAll(load(file)));
    Optional<String> protocol = env.optional(P + "SECURITY_PROTOCOL").map(s -> s.toUpperCase(Locale.ROOT));
    protocol.ifPresent(v -> {
      if (!PROTOCOLS.contains(v)) {
        throw new Env.ConfigException(P + "SECURITY_PROTOCOL=" + v + " is invalid: use one of " + String.join(", ", PROTOCOLS));
      }
      p.put("security.protocol", v);
    });
    String effective = p.getOrDefault("security.protocol", "PLAINTEXT");
    boolean sasl = effective.startsWith("SASL_");

    Optional<String> user = env.optional(P + "SASL_USERNAME");
    Optional<String> password = env.secret(P + "SASL_PASSWORD");
    Optional<String> jaas = env.secret(P + "SASL_JAAS_CONFIG");
    Optional<String> mechanism = env.optional(P + "SASL_MECHANISM").map(s -> s.toUpperCase(Locale.ROOT));
    boolean saslGiven = user.isPresent() || password.isPresent() || jaas.isPresent() || mechanism.isPresent();
    if (saslGiven && !sasl) {
      throw new Env.ConfigException("SASL settings (" + P + "SASL_*) need " + P + "SECURITY_PROTOCOL=SASL_SSL (or SASL_PLAINTEXT); it is "
          + effective);
    }
    if (mechanism.isPresent()) {
      if (!MECHANISMS.contains(mechanism.get())) {
        throw new Env.ConfigException(P + "SASL_MECHANISM=" + mechanism.get() + " is invalid: use one of " + String.join(", ", MECHANISMS)
            + " (others through " + P + "SASL_JAAS_CONFIG and " + P + "CLIENT_PROPERTIES)");
      }
      p.put("sasl.mechanism", mechanism.get());
    }
    if (jaas.isPresent() && (user.isPresent() || password.isPresent())) {
      throw new Env.ConfigException(P + "SASL_JAAS_CONFIG and " + P + "SASL_USERNAME/_PASSWORD are both set: set one of them");
    }
    if (user.isPresent() != password.isPresent()) {
      throw new Env.ConfigException(P + "SASL_USERNAME and " + P + "SASL_PASSWORD go together: set both");
    }
    jaas.ifPresent(j -> p.put("sasl.jaas.config", j));
    if (user.isPresent()) {
      String m = p.getOrDefault("sasl.mechanism", "PLAIN");
      p.put("sasl.mechanism", m);
      String module = m.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put("sasl.jaas.config", module + " required username=\"" + quoted(user.get()) + "\" password=\"" + quoted(password.get()) + "\";");
    }
    if (sasl && !p.containsKey("sasl.jaas.config")) {
      throw new Env.ConfigException(P + "SECURITY_PROTOCOL=" + effective + " needs credentials: " + P + "SASL_USERNAME and "
          + P + "SASL_PASSWORD, or " + P + "SASL_JAAS_CONFIG");
    }

    Optional<String> ca = env.optional(P + "SSL_CA_FILE");
    Optional<String> truststore = env.optional(P + "SSL_TRUSTSTORE_LOCATION");
    if (ca.isPresent() && truststore.isPresent()) {
      throw new Env.ConfigException(P + "SSL_CA_FILE and " + P + "SSL_TRUSTSTORE_LOCATION are both set: set one of them");
    }
    ca.ifPresent(f -> {
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.location", readable(P + "SSL_CA_FILE", f));
    });
    truststore.ifPresent(f -> p.put("ssl.truststore.location", readable(P + "SSL_TRUSTSTORE_LOCATION", f)));
    env.secret(P + "SSL_TRUSTSTORE_PASSWORD").ifPresent(v -> p.put("ssl.truststore.password", v));
    env.optional(P + "SSL_TRUSTSTORE_TYPE").ifPresent(v -> p.put("ssl.truststore.type", v));
    env.optional(P + "SSL_KEYSTORE_LOCATION").ifPresent(f -> p.put("ssl.keystore.location", readable(P + "SSL_KEYSTORE_LOCATION", f)));
    env.secret(P + "SSL_KEYSTORE_PASSWORD").ifPresent(v -> p.put("ssl.keystore.password", v));
    env.optional(P + "SSL_KEYSTORE_TYPE").ifPresent(v -> p.put("ssl.keystore.type", v));
    env.secret(P + "SSL_KEY_PASSWORD").ifPresent(v -> p.put("ssl.key.password", v));
    boolean ssl = effective.endsWith("SSL");
    if (!ssl && p.keySet().stream().anyMatch(k -> k.startsWith("ssl."))) {
      throw new Env.ConfigException("TLS settings (" + P + "SSL_*) need " + P + "SECURITY_PROTOCOL=SSL or SASL_SSL; it is " + effective);
    }
    return new KafkaClientSecurity(p);
  }

  /**
   * The variables of {@link #fromEnv} that are set in {@code env}: what a launcher hands to the
   * processes it starts, so that they reach the same broker the same way.
   */
  public static Map<String, String> variables(Env env) {
    Map<String, String> out = new TreeMap<>();
    for (String name : List.of("CLIENT_PROPERTIES", "SECURITY_PROTOCOL", "SASL_MECHANISM", "SASL_USERNAME", "SASL_PASSWORD",
        "SASL_JAAS_CONFIG", "SSL_CA_FILE", "SSL_TRUSTSTORE_LOCATION", "SSL_TRUSTSTORE_PASSWORD", "SSL_TRUSTSTORE_TYPE",
        "SSL_KEYSTORE_LOCATION", "SSL_KEYSTORE_PASSWORD", "SSL_KEYSTORE_TYPE", "SSL_KEY_PASSWORD")) {
      for (String variable : List.of(P + name, P + name + "_FILE")) {
        env.optional(variable).ifPresent(v -> out.put(variable, v));
      }
    }
    return out;
  }

  /** Adds the settings to a client's properties; call right after the bootstrap servers. */
  public Properties applyTo(Properties clientProperties) {
    clientProperties.putAll(properties);
    return clientProperties;
  }

  /** The same for a map of settings (vertx-kafka-client, {@code Admin.create(Map)}). */
  public <M extends Map<String, Object>> M applyTo(M clientConfig) {
    clientConfig.putAll(properties);
    return clientConfig;
  }

  /** {@code PLAINTEXT} unless configured otherwise. */
  public String protocol() {
    return properties.getOrDefault("security.protocol", "PLAINTEXT");
  }

  /** Names the protocol and mechanism, never a password. */
  @Override
  public String toString() {
    return protocol() + (properties.containsKey("sasl.mechanism") ? " " + properties.get("sasl.mechanism") : "");
  }

  private static String quoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String readable(String name, String file) {
    if (!Files.isReadable(Path.of(file)) || Files.isDirectory(Path.of(file))) {
      throw new Env.ConfigException(name + "=" + file + " is invalid: not a readable file");
    }
    return file;
  }

  private static Map<String, String> load(String file) {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (IOException | RuntimeException e) {
      throw new Env.ConfigException(P + "CLIENT_PROPERTIES=" + file + " is invalid: cannot read it as a properties file (" + e + ")");
    }
    Map<String, String> out = new TreeMap<>();
    props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k).trim()));
    if (out.containsKey("bootstrap.servers")) {
      throw new Env.ConfigException(P + "CLIENT_PROPERTIES=" + file + " sets bootstrap.servers: set KAFKA_BOOTSTRAP_SERVERS instead");
    }
    return out;
  }
}
