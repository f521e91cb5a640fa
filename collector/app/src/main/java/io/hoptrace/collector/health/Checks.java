package io.hoptrace.collector.health;

import io.hoptrace.collector.ingester.Ingester;
import io.hoptrace.collector.ingester.SignalIngester;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** The collector's health checks. Each blocking probe runs on a worker thread with a short timeout. */
public final class Checks {
  private Checks() {}

  public static HealthCheck kafka(Vertx vertx, Admin admin, String bootstrap) {
    return check("kafka", () -> vertx.executeBlocking(() -> {
      int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get(3, TimeUnit.SECONDS).size();
      return new HealthCheck.Status(nodes > 0, nodes + " broker(s) reachable at " + bootstrap);
    }, false).recover(e -> Future.succeededFuture(new HealthCheck.Status(false,
        "Kafka at " + bootstrap + " unreachable: " + e.getClass().getSimpleName() + "; the receiver answers 503 until it is back"))));
  }

  public static HealthCheck clickHouse(Vertx vertx, Ingester ingester, String url) {
    return check("clickhouse", () -> vertx.executeBlocking(() -> {
      boolean up = ingester.writer().ping();
      return new HealthCheck.Status(up, up ? "reachable at " + url
          : "unreachable at " + url + "; ingestion is paused and retried, Kafka holds the backlog");
    }, false));
  }

  public static HealthCheck lag(Ingester ingester, long maxLag) {
    return check("lag", () -> {
      if (!ingester.consuming()) {
        return Future.succeededFuture(new HealthCheck.Status(false, ingester.waiting()));
      }
      StringBuilder sb = new StringBuilder();
      boolean ok = true;
      for (SignalIngester si : ingester.signals()) {
        boolean alive = si.alive();
        ok &= alive && si.lag() <= maxLag;
        sb.append(si.signal().label()).append('=').append(si.lag()).append(alive ? "" : " (consumer stopped: " + si.lastError() + ")").append(' ');
      }
      return Future.succeededFuture(new HealthCheck.Status(ok, "records behind: " + sb.toString().trim() + " (limit " + maxLag + ")"));
    });
  }

  private static HealthCheck check(String name, java.util.function.Supplier<Future<HealthCheck.Status>> probe) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<Status> check() {
        return probe.get();
      }
    };
  }
}
