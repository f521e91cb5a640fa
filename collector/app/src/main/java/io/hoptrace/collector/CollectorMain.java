package io.hoptrace.collector;

import io.hoptrace.config.Env;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -cp collector.jar:lib/* io.hoptrace.collector.CollectorMain [--roles receiver,ingester]}. */
public final class CollectorMain {
  private static final Logger log = LoggerFactory.getLogger(CollectorMain.class);

  private CollectorMain() {}

  public static void main(String[] args) throws Exception {
    CollectorConfig config;
    try {
      config = CollectorConfig.fromEnv(Env.system(), Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Collector collector = Collector.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping the collector");
      collector.close();
      stopped.countDown();
    }, "collector-shutdown"));
    stopped.await();
  }
}
