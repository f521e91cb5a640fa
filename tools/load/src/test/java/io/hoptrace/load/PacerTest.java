package io.hoptrace.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.process.Poll;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A stalled target slows the load instead of queueing it: ticks that find every slot busy are skipped and counted. */
class PacerTest {
  @Test
  void skipsTicksWhileEverySlotIsBusyAndWaitsForTheCallsInFlight() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Pacer pacer = new Pacer("test-pacer", 200, 2, tick -> {
      calls.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.incrementAndGet();
    }).start();

    Poll.until("ticks skipped while both slots are busy", Duration.ofSeconds(30), Duration.ofMillis(10), () -> pacer.skipped() >= 5);
    assertThat(calls.get()).as("only as many calls as slots").isEqualTo(2);
    release.countDown();
    pacer.stop(Duration.ofSeconds(30));
    assertThat(finished.get()).as("every call that started has ended").isEqualTo(calls.get());
    assertThat(pacer.ticks()).isEqualTo(calls.get() + pacer.skipped());
  }
}
