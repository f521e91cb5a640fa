package io.hoptrace.collector.health;

import io.hoptrace.collector.ingester.Ingester;
import io.hoptrace.collector.ingester.SignalIngester;
import io.hoptrace.collector.ingester.Stalls;
import io.hoptrace.web.Health;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** The collector's health checks. Each blocking probe runs on a worker thread with a short timeout. */
public final class Checks {
  private Checks() {}

  public static Supplier<Future<Health.Check>> kafka(Vertx vertx, Admin admin, String bootstrap) {
    return () -> vertx.executeBlocking(() -> {
      int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get(3, TimeUnit.SECONDS).size();
      return Health.Check.of(nodes > 0, nodes + " broker(s) reachable at " + bootstrap);
    }, false).otherwise(e -> Health.Check.down(
        "Kafka at " + bootstrap + " unreachable: " + e.getClass().getSimpleName() + "; the receiver answers 503 until it is back"));
  }

  public static Supplier<Future<Health.Check>> clickHouse(Vertx vertx, Ingester ingester, String url) {
    return () -> vertx.executeBlocking(() -> {
      boolean up = ingester.writer().ping();
      return Health.Check.of(up, up ? "reachable at " + url
          : "unreachable at " + url + "; ingestion is paused and retried, Kafka holds the backlog");
    }, false);
  }

  /** Down while a partition is stalled on a systemic ClickHouse error: names the table and the error. */
  public static Supplier<Health.Check> ingestion(Ingester ingester) {
    return () -> {
      List<Stalls.Stall> stalls = ingester.stalls().current();
      if (stalls.isEmpty()) {
        return Health.Check.up("no partition stalled");
      }
      JsonArray details = new JsonArray();
      StringBuilder tables = new StringBuilder();
      for (Stalls.Stall s : stalls) {
        details.add(new JsonObject().put("partition", s.partition()).put("table", s.table()).put("code", s.error().code())
            .put("error", s.error().message()).put("since", s.since().toString()));
        if (tables.indexOf(s.table()) < 0) {
          tables.append(tables.length() == 0 ? "" : ", ").append(s.table()).append(" (").append(s.error().codeText()).append(": ")
              .append(s.error().message()).append(')');
        }
      }
      return Health.Check.down("stalled on " + tables + " for " + stalls.size() + " partition(s): fix ClickHouse;"
          + " writes are retried with back-off and resume by themselves, nothing is dead-lettered, Kafka holds the backlog")
          .withDetails(new JsonObject().put("stalled", details));
    };
  }

  public static Supplier<Health.Check> lag(Ingester ingester, long maxLag) {
    return () -> {
      if (!ingester.consuming()) {
        return Health.Check.down(ingester.waiting());
      }
      StringBuilder sb = new StringBuilder();
      JsonObject behind = new JsonObject();
      boolean ok = true;
      for (SignalIngester si : ingester.signals()) {
        boolean alive = si.alive();
        ok &= alive && si.lag() <= maxLag;
        behind.put(si.signal().label(), si.lag());
        sb.append(si.signal().label()).append('=').append(si.lag()).append(alive ? "" : " (consumer stopped: " + si.lastError() + ")").append(' ');
      }
      return Health.Check.of(ok, "records behind: " + sb.toString().trim() + " (limit " + maxLag + ")")
          .withDetails(new JsonObject().put("recordsBehind", behind).put("limit", maxLag));
    };
  }
}
