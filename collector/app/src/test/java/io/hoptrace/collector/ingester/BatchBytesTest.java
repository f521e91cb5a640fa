package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * COLLECTOR_BATCH_BYTES cuts batches: with a row limit and a delay that never cut in this test, the
 * records of one partition land in batches of at most that many bytes, each exactly once, and what
 * does not fill a batch waits.
 */
@ExtendWith(RealInfrastructure.class)
class BatchBytesTest {
  static final int BATCH_BYTES = 64 << 10; // the smallest allowed
  static final int SPANS_PER_RECORD = 20;

  @Test
  void fullBatchesByBytesLandAndTheRemainderWaits(Infrastructure infra) throws Exception {
    TestCollector c = TestCollector.on(infra, "batch-bytes").with("COLLECTOR_BATCH_BYTES", Integer.toString(BATCH_BYTES))
        .with("COLLECTOR_BATCH_ROWS", "1000000").with("COLLECTOR_BATCH_DELAY", "1h");
    c.createTopics();
    List<byte[]> values = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; bytes < 3.5 * BATCH_BYTES; i++) {
      byte[] v = Otlp.traces("bytes", 1_000 + i, 2, SPANS_PER_RECORD / 2).toByteArray();
      values.add(v);
      bytes += v.length;
    }
    c.write(Signal.TRACES, values, i -> 0); // one partition: one sequence of batches
    long expected = (long) landedRecords(values) * SPANS_PER_RECORD;
    assertThat(expected).as("three full batches by bytes, a remainder behind them").isGreaterThan(0).isLessThan((long) values.size() * SPANS_PER_RECORD);
    try (TestCollector running = c.start()) {
      c.await("SELECT uniqExact(TraceId, SpanId) FROM otel_traces", expected, Duration.ofSeconds(120));
      assertThat(c.count("SELECT count() FROM otel_traces")).as("each row once").isEqualTo(expected);
    }
  }

  /** The rule: a batch is cut once a full batch's bytes are pending, taking records up to the limit (at least one). */
  private static int landedRecords(List<byte[]> values) {
    int landed = 0;
    while (true) {
      long pending = values.stream().skip(landed).mapToLong(v -> v.length).sum();
      if (pending < BATCH_BYTES) {
        return landed;
      }
      long taken = 0;
      int n = 0;
      for (byte[] v : values.subList(landed, values.size())) {
        if (n > 0 && taken + v.length > BATCH_BYTES) {
          break;
        }
        taken += v.length;
        n++;
      }
      landed += n;
    }
  }
}
