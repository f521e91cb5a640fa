package io.hoptrace.faults.scenario;

import java.time.Duration;

/** The deliberate waits of a scenario (load before a fault, an outage's length): never used to wait for a condition. */
final class Pause {
  private Pause() {}

  static void of(Duration d) throws InterruptedException {
    if (!d.isNegative()) {
      Thread.sleep(d.toMillis());
    }
  }
}
