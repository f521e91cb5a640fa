package io.hoptrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.clickhouse.ClickHouseSettings;
import io.hoptrace.kafka.Topics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension hands every test the same real Kafka and ClickHouse. */
@ExtendWith(RealInfrastructure.class)
class RealInfrastructureTest {
  @Test
  void givesARealBrokerAndARealClickHouse(Infrastructure infra) throws Exception {
    String topic = Infrastructure.unique("smoke");
    infra.createTopics(List.of(Topics.business(topic)));
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    try (Admin admin = Admin.create(p)) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
    }

    ClickHouseSettings db = infra.migratedDatabase("smoke");
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count() FROM system.tables WHERE database = '" + db.database() + "' AND name = 'otel_traces'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void isSharedAcrossTests(Infrastructure first, Infrastructure second) {
    assertThat(first).isSameAs(second);
  }
}
