package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.CollectorMain;
import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.process.ChildJvm;
import io.hoptrace.process.ChildProcess;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An ingester process killed with SIGKILL while it writes batches, then restarted: every span exactly once. */
@ExtendWith(RealInfrastructure.class)
class IngesterCrashTest {
  static final int RECORDS = 60;
  static final int SPANS_PER_RECORD = 100;

  @TempDir Path dir;

  @Test
  void killedMidBatchThenRestartedStoresEverySpanExactlyOnce(Infrastructure infra) throws Exception {
    TestCollector c = TestCollector.on(infra, "crash").with("COLLECTOR_BATCH_ROWS", "500").with("COLLECTOR_INGEST_WORKERS", "1")
        .with("COLLECTOR_KAFKA_SESSION_TIMEOUT", "6s"); // the killed member leaves the group sooner
    c.createTopics();
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      values.add(Otlp.traces("crash", 100 + i, 10, SPANS_PER_RECORD / 10).toByteArray());
    }
    c.write(Signal.TRACES, values, i -> i % 3);
    long total = (long) RECORDS * SPANS_PER_RECORD;

    ChildProcess first = ingester(c, "first").start();
    try {
      Poll.until("the first batches to land", Duration.ofSeconds(90), Duration.ofMillis(20),
          () -> c.count("SELECT count() FROM otel_traces") > 0);
      first.kill(); // SIGKILL: no shutdown hook, no final commit
    } finally {
      first.kill();
    }
    long afterCrash = c.count("SELECT count() FROM otel_traces");
    assertThat(afterCrash).as("killed before it was done").isLessThan(total);

    // other batch settings after the restart: only the recorded batch ranges can make the retried
    // inserts identical (and so deduplicated); batches re-cut by size would duplicate rows
    c.with("COLLECTOR_BATCH_ROWS", "700");
    try (ChildProcess second = ingester(c, "second").start()) {
      try {
        Poll.until("every span stored", Duration.ofSeconds(120), Duration.ofMillis(200), () -> {
          if (!second.isAlive()) {
            throw new AssertionError("the restarted ingester exited:\n" + second.tail(80));
          }
          return c.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces") == total;
        });
      } catch (Poll.TimeoutException e) {
        throw new AssertionError(e.getMessage() + "; rows stored: " + c.count("SELECT count() FROM otel_traces")
            + "\nfirst ingester's log:\n" + first.tail(60) + "\nsecond ingester's log:\n" + second.tail(120), e);
      }
      assertThat(c.count("SELECT count() FROM otel_traces")).as("rows = distinct spans").isEqualTo(total);
      // the view's part of an insert is committed just after the table's: wait for it, a read can fall in between
      c.await("SELECT count() FROM otel_traces_trace_id_ts", RECORDS * 10L, Duration.ofSeconds(30));
      assertThat(java.nio.file.Files.readString(second.logFile())).as("the restarted ingester re-formed the batches in flight")
          .contains("re-forming the batch recorded before the last owner stopped");
    }
  }

  private ChildJvm ingester(TestCollector c, String name) {
    return ChildJvm.builder("ingester-" + name)
        .classpath(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)))
        .mainClass(CollectorMain.class.getName())
        .args(List.of("--roles", "ingester"))
        .jvmArg("-Xmx256m")
        .env(c.env)
        .logFile(dir.resolve(name + ".log"))
        .build();
  }
}
