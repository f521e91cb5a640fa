package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.collector.TestCollector;
import io.hoptrace.collector.ingester.clickhouse.ClickHouseWriter;
import io.hoptrace.collector.otlp.Otlp;
import io.hoptrace.collector.otlp.Signal;
import io.hoptrace.config.Env;
import io.hoptrace.process.Poll;
import io.hoptrace.testsupport.Infrastructure;
import io.hoptrace.testsupport.RealInfrastructure;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reading the committed offsets of newly assigned partitions fails (the group coordinator slow or
 * moving): the partitions wait, paused, until it succeeds, and then every span lands exactly once.
 * Before, the assignment's error left the partitions assigned without state and their records were
 * fetched and dropped: the ingester stopped ingesting them until the next rebalance.
 */
@ExtendWith(RealInfrastructure.class)
class UnreadCommittedOffsetTest {
  static final int RECORDS = 30;
  static final int SPANS_PER_RECORD = 20;
  static final int FAILURES = 3;

  @Test
  void partitionsWaitUntilTheirCommittedOffsetsAreRead(Infrastructure infra) throws Exception {
    TestCollector c = TestCollector.on(infra, "unread-offsets");
    c.createTopics();
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      values.add(Otlp.traces("unread", 500 + i, 2, SPANS_PER_RECORD / 2).toByteArray());
    }
    c.write(Signal.TRACES, values, i -> i % 3);
    IngesterConfig config = IngesterConfig.fromEnv(Env.of(c.env));
    AtomicInteger failed = new AtomicInteger();
    Consumer<byte[], ByteBuffer> consumer = failingCommittedReads(
        new KafkaConsumer<>(SignalIngester.consumerProperties(config, Signal.TRACES)), failed);
    ExecutorService workers = Executors.newSingleThreadExecutor();
    try (ClickHouseWriter writer = new ClickHouseWriter(config.clickHouse(), config.insertTimeout());
        DeadLetters deadLetters = DeadLetters.create(config.kafkaBootstrapServers());
        SignalIngester ingester = new SignalIngester(Signal.TRACES, config,
            new ClickHouseBatchSink(Ingester.converter(Signal.TRACES), writer, deadLetters, workers), consumer)) {
      ingester.start();
      long total = (long) RECORDS * SPANS_PER_RECORD;
      c.await("SELECT count() FROM otel_traces", total, Duration.ofSeconds(60));
      assertThat(failed.get()).as("the committed offsets could not be read at first").isEqualTo(FAILURES);
      assertThat(c.count("SELECT uniqExact(TraceId, SpanId) FROM otel_traces")).as("each span once").isEqualTo(total);
      Poll.until("the ingester to report no error", Duration.ofSeconds(10), Duration.ofMillis(50), () -> ingester.lastError().isEmpty());
    } finally {
      workers.shutdownNow();
    }
  }

  /** The real consumer, except that its first {@value #FAILURES} reads of committed offsets time out. */
  @SuppressWarnings("unchecked")
  private static Consumer<byte[], ByteBuffer> failingCommittedReads(Consumer<byte[], ByteBuffer> real, AtomicInteger failed) {
    return (Consumer<byte[], ByteBuffer>) Proxy.newProxyInstance(Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class},
        (proxy, method, args) -> {
          if (method.getName().equals("committed") && args != null && args[0] instanceof Set && failed.get() < FAILURES) {
            failed.incrementAndGet();
            throw new TimeoutException("injected: timeout reading the committed offsets of " + args[0]);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
