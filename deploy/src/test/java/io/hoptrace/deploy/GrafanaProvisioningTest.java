package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grafana starts with a ClickHouse datasource in OpenTelemetry mode pointing at our tables. */
class GrafanaProvisioningTest {
  @Test
  @SuppressWarnings("unchecked")
  void clickHouseDatasourceIsInOpenTelemetryModeOnTheContractTables() {
    Map<String, Object> file = Repo.yaml("deploy/grafana/provisioning/datasources/clickhouse.yml");
    List<Map<String, Object>> sources = (List<Map<String, Object>>) file.get("datasources");
    assertThat(sources).hasSize(1);
    Map<String, Object> ds = sources.get(0);
    assertThat(ds).containsEntry("type", "grafana-clickhouse-datasource").containsEntry("uid", "clickhouse");
    Map<String, Object> json = (Map<String, Object>) ds.get("jsonData");
    assertThat(json).containsEntry("host", "clickhouse").containsEntry("port", 9000).containsEntry("defaultDatabase", "otel");
    Map<String, Object> traces = (Map<String, Object>) json.get("traces");
    Map<String, Object> logs = (Map<String, Object>) json.get("logs");
    assertThat(traces).containsEntry("otelEnabled", true).containsEntry("defaultTable", "otel_traces").containsEntry("defaultDatabase", "otel");
    assertThat(logs).containsEntry("otelEnabled", true).containsEntry("defaultTable", "otel_logs").containsEntry("defaultDatabase", "otel");
    // Grafana reads as the user that may only read, with that user's password
    assertThat(json).containsEntry("username", "hoptrace_reader");
    assertThat(((Map<String, Object>) ds.get("secureJsonData")).get("password")).isEqualTo("$CLICKHOUSE_QUERY_PASSWORD");
    assertThat(Repo.read("deploy/clickhouse/users.d/hoptrace.xml")).contains("<hoptrace_reader>")
        .contains("<password from_env=\"CLICKHOUSE_QUERY_PASSWORD\"/>");
    assertThat(ComposeContractTest.env("grafana")).containsKey("CLICKHOUSE_QUERY_PASSWORD");
  }

  @Test
  @SuppressWarnings("unchecked")
  void dashboardsAreProvisionedFromTheRepositoryFolder() {
    Map<String, Object> file = Repo.yaml("deploy/grafana/provisioning/dashboards/hoptrace.yml");
    Map<String, Object> provider = ((List<Map<String, Object>>) file.get("providers")).get(0);
    assertThat(((Map<String, Object>) provider.get("options")).get("path")).isEqualTo("/var/lib/grafana/dashboards");
    Map<String, Object> grafana = ComposeContractTest.services().get("grafana");
    assertThat((List<String>) grafana.get("volumes"))
        .contains("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro", "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro");
    // the ClickHouse plugin at an exact version, installed before Grafana starts
    assertThat(String.valueOf(((Map<String, Object>) grafana.get("environment")).get("GF_PLUGINS_PREINSTALL_SYNC")))
        .matches("grafana-clickhouse-datasource@\\d+\\.\\d+\\.\\d+");
    assertThat((Map<String, Object>) grafana.get("environment")).doesNotContainKey("GF_INSTALL_PLUGINS");
  }
}
