package io.hoptrace.collector.health;

import io.vertx.core.Future;

/** One thing the collector needs in order to work: Kafka, ClickHouse, the ingesters keeping up. */
public interface HealthCheck {
  /** ok, and a short human reason either way. */
  record Status(boolean ok, String detail) {}

  String name();

  Future<Status> check();
}
