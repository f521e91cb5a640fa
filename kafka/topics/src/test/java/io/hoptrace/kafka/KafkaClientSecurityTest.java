package io.hoptrace.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The variables become the standard client settings; half or contradicting settings are errors naming the variables. */
class KafkaClientSecurityTest {
  @TempDir Path dir;

  @Test
  void nothingSetIsPlaintextAsBefore() {
    KafkaClientSecurity s = KafkaClientSecurity.fromEnv(Env.of(Map.of()));
    assertThat(s.properties()).isEmpty();
    assertThat(s.protocol()).isEqualTo("PLAINTEXT");
  }

  @Test
  void saslSslWithScramAndAPemCa() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Path password = Files.writeString(dir.resolve("pw"), "p\"w\\1\n");
    KafkaClientSecurity s = KafkaClientSecurity.fromEnv(Env.of(Map.of(
        "HOPTRACE_KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
        "HOPTRACE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "HOPTRACE_KAFKA_SASL_USERNAME", "svc",
        "HOPTRACE_KAFKA_SASL_PASSWORD_FILE", password.toString(),
        "HOPTRACE_KAFKA_SSL_CA_FILE", ca.toString())));
    assertThat(s.properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" password=\"p\\\"w\\\\1\";",
        "ssl.truststore.type", "PEM",
        "ssl.truststore.location", ca.toString()));
    assertThat(s.toString()).isEqualTo("SASL_SSL SCRAM-SHA-512").doesNotContain("p\"w");
    // the settings are ones Kafka's clients know
    for (String key : s.properties().keySet()) {
      assertThat(ConsumerConfig.configNames()).as(key).contains(key);
      assertThat(AdminClientConfig.configNames()).as(key).contains(key);
    }
  }

  @Test
  void plainIsTheDefaultMechanismAndTheClientsOwnSettingsWin() {
    KafkaClientSecurity s = KafkaClientSecurity.fromEnv(Env.of(Map.of("HOPTRACE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "HOPTRACE_KAFKA_SASL_USERNAME", "u", "HOPTRACE_KAFKA_SASL_PASSWORD", "p")));
    assertThat(s.properties()).containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";");
    Properties p = new Properties();
    p.put("bootstrap.servers", "b:9092");
    s.applyTo(p);
    assertThat(p).containsEntry("bootstrap.servers", "b:9092").containsEntry("security.protocol", "SASL_PLAINTEXT");
  }

  @Test
  void aPropertiesFileIsAppliedFirstAndTheVariablesWin() throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"),
        "security.protocol=SSL\nssl.endpoint.identification.algorithm=\nclient.dns.lookup=use_all_dns_ips\n");
    KafkaClientSecurity s = KafkaClientSecurity.fromEnv(Env.of(Map.of("HOPTRACE_KAFKA_CLIENT_PROPERTIES", file.toString())));
    assertThat(s.properties()).containsEntry("security.protocol", "SSL").containsEntry("ssl.endpoint.identification.algorithm", "")
        .containsEntry("client.dns.lookup", "use_all_dns_ips");
    Path keystore = Files.writeString(dir.resolve("client.p12"), "x");
    KafkaClientSecurity mtls = KafkaClientSecurity.fromEnv(Env.of(Map.of("HOPTRACE_KAFKA_CLIENT_PROPERTIES", file.toString(),
        "HOPTRACE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "HOPTRACE_KAFKA_SASL_JAAS_CONFIG", "x required;",
        "HOPTRACE_KAFKA_SSL_KEYSTORE_LOCATION", keystore.toString(), "HOPTRACE_KAFKA_SSL_KEYSTORE_PASSWORD", "k",
        "HOPTRACE_KAFKA_SSL_KEYSTORE_TYPE", "PKCS12")));
    assertThat(mtls.properties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", "x required;")
        .containsEntry("ssl.keystore.location", keystore.toString()).containsEntry("ssl.keystore.type", "PKCS12");
  }

  @Test
  void badCombinationsAreErrorsNamingTheVariables() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Path withBootstrap = Files.writeString(dir.resolve("b.properties"), "bootstrap.servers=x:1\n");
    assertError(Map.of("HOPTRACE_KAFKA_SECURITY_PROTOCOL", "TLS"),
        "HOPTRACE_KAFKA_SECURITY_PROTOCOL=TLS is invalid: use one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    assertError(Map.of("HOPTRACE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
        "HOPTRACE_KAFKA_SECURITY_PROTOCOL=SASL_SSL needs credentials: HOPTRACE_KAFKA_SASL_USERNAME and HOPTRACE_KAFKA_SASL_PASSWORD, or HOPTRACE_KAFKA_SASL_JAAS_CONFIG");
    assertError(Map.of("HOPTRACE_KAFKA_SASL_USERNAME", "u", "HOPTRACE_KAFKA_SASL_PASSWORD", "p"),
        "SASL settings (HOPTRACE_KAFKA_SASL_*) need HOPTRACE_KAFKA_SECURITY_PROTOCOL=SASL_SSL (or SASL_PLAINTEXT); it is PLAINTEXT");
    assertError(Map.of("HOPTRACE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "HOPTRACE_KAFKA_SASL_USERNAME", "u"),
        "HOPTRACE_KAFKA_SASL_USERNAME and HOPTRACE_KAFKA_SASL_PASSWORD go together: set both");
    assertError(Map.of("HOPTRACE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "HOPTRACE_KAFKA_SASL_MECHANISM", "GSSAPI", "HOPTRACE_KAFKA_SASL_JAAS_CONFIG", "x;"),
        "HOPTRACE_KAFKA_SASL_MECHANISM=GSSAPI is invalid: use one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (others through HOPTRACE_KAFKA_SASL_JAAS_CONFIG and HOPTRACE_KAFKA_CLIENT_PROPERTIES)");
    assertError(Map.of("HOPTRACE_KAFKA_SSL_CA_FILE", ca.toString()),
        "TLS settings (HOPTRACE_KAFKA_SSL_*) need HOPTRACE_KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL; it is PLAINTEXT");
    assertError(Map.of("HOPTRACE_KAFKA_SECURITY_PROTOCOL", "SSL", "HOPTRACE_KAFKA_SSL_CA_FILE", dir.resolve("none.pem").toString()),
        "HOPTRACE_KAFKA_SSL_CA_FILE=" + dir.resolve("none.pem") + " is invalid: not a readable file");
    assertError(Map.of("HOPTRACE_KAFKA_SECURITY_PROTOCOL", "SSL", "HOPTRACE_KAFKA_SSL_CA_FILE", ca.toString(),
        "HOPTRACE_KAFKA_SSL_TRUSTSTORE_LOCATION", ca.toString()),
        "HOPTRACE_KAFKA_SSL_CA_FILE and HOPTRACE_KAFKA_SSL_TRUSTSTORE_LOCATION are both set: set one of them");
    assertError(Map.of("HOPTRACE_KAFKA_CLIENT_PROPERTIES", withBootstrap.toString()),
        "HOPTRACE_KAFKA_CLIENT_PROPERTIES=" + withBootstrap + " sets bootstrap.servers: set KAFKA_BOOTSTRAP_SERVERS instead");
  }

  private static void assertError(Map<String, String> env, String message) {
    assertThatThrownBy(() -> KafkaClientSecurity.fromEnv(Env.of(env))).isInstanceOf(Env.ConfigException.class).hasMessage(message);
  }
}
