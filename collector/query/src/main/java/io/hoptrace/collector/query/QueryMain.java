package io.hoptrace.collector.query;

import io.hoptrace.config.Env;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Runs the query role alone (the collector's main runs it next to the others with {@code --roles ...,query}). */
public final class QueryMain {
  private QueryMain() {}

  public static void main(String[] args) throws Exception {
    QueryConfig config;
    try {
      config = QueryConfig.fromEnv(Env.system());
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // exiting anyway
      }
    }, "query-shutdown"));
    vertx.deployVerticle(new QueryRole(config)).onFailure(e -> {
      System.err.println("error: the trace explorer did not start: " + e.getMessage());
      System.exit(1);
    });
  }
}
