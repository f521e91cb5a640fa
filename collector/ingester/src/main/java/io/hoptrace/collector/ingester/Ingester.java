package io.hoptrace.collector.ingester;

import io.hoptrace.clickhouse.schema.SchemaMigrator;
import io.hoptrace.collector.ingester.clickhouse.ClickHouseWriter;
import io.hoptrace.collector.ingester.dedup.KafkaWindowSource;
import io.hoptrace.collector.ingester.dedup.RowDeduplicator;
import io.hoptrace.collector.ingester.rows.LogRows;
import io.hoptrace.collector.ingester.rows.MetricRows;
import io.hoptrace.collector.ingester.rows.RecordConverter;
import io.hoptrace.collector.ingester.rows.WireSpanRows;
import io.hoptrace.collector.otlp.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingester role: applies the schema, then runs one {@link SignalIngester} per signal, each with
 * the sink chain retry( stall reporting( metrics( ClickHouse ) ) ) over one shared {@link ClickHouseWriter}.
 */
public final class Ingester implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Ingester.class);

  private final IngesterConfig config;
  private final ClickHouseWriter writer;
  private final DeadLetters deadLetters;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final Stalls stalls = new Stalls();
  private final List<SignalIngester> ingesters = new ArrayList<>();
  private Thread starter;
  private volatile boolean closed;
  private volatile boolean consuming;
  private volatile String waiting = "starting";

  private Ingester(IngesterConfig config, IngesterMetrics metrics) {
    this.config = config;
    this.writer = new ClickHouseWriter(config.clickHouse(), config.insertTimeout());
    this.deadLetters = DeadLetters.create(config.kafkaBootstrapServers());
    this.workers = Executors.newFixedThreadPool(config.workers(), daemon("ingest-worker"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("ingest-retry"));
    for (Signal signal : Signal.values()) {
      if (!config.signals().contains(signal)) {
        continue; // a dedicated ingester (--signals): the other topics are another process's
      }
      BatchSink sink = new ClickHouseBatchSink(converter(signal), writer, deadLetters, workers, deduplicator(config, metrics, signal));
      sink = new MeteredBatchSink(sink, metrics, signal);
      sink = new StallReportingBatchSink(sink, stalls);
      sink = new RetryingBatchSink(sink, scheduler, config.retryInitial(), config.retryMax(), b -> metrics.retry(signal));
      SignalIngester si = new SignalIngester(signal, config, sink);
      metrics.lag(signal, si::lag);
      String topic = config.topic(signal);
      metrics.stalled(signal, () -> stalls.stalled(topic) ? 1 : 0);
      ingesters.add(si);
    }
  }

  /**
   * Starts the ingester: applies the schema (if configured) and then consumes. When ClickHouse is not
   * reachable yet, this keeps trying in the background (the receiver works meanwhile, Kafka holds the
   * data) and health says why nothing is consumed.
   */
  public static Ingester start(IngesterConfig config, IngesterMetrics metrics) {
    Ingester ingester = new Ingester(config, metrics);
    ingester.starter = new Thread(ingester::migrateThenConsume, "ingester-start");
    ingester.starter.start();
    return ingester;
  }

  private void migrateThenConsume() {
    long delay = 500;
    while (!closed) {
      try {
        if (config.migrate()) {
          SchemaMigrator.Result r = new SchemaMigrator(config.schemaClickHouse(), config.retention(), config.cluster()).migrate();
          log.info("ClickHouse schema on {} database {} (as {}): {}", config.schemaClickHouse().url(),
              config.schemaClickHouse().database(), config.schemaClickHouse().user(), r);
        }
        writer.dropStaleStagingTables();
        break;
      } catch (RuntimeException e) {
        waiting = "waiting for ClickHouse to apply the schema before consuming: " + e.getMessage();
        log.warn("{}; retrying in {} ms (the receiver keeps accepting, Kafka holds the data)", waiting, delay);
        try {
          Thread.sleep(delay);
        } catch (InterruptedException ie) {
          return;
        }
        delay = Math.min(delay * 2, 30_000);
      }
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      for (SignalIngester si : ingesters) {
        si.start();
      }
      consuming = true;
      waiting = "";
    }
    log.info("ingester consuming {} as groups {}-*", config.topics(), config.groupPrefix());
  }

  /** Whether the consumers run (false while the schema cannot be applied yet). */
  public boolean consuming() {
    return consuming;
  }

  /** Why the ingester is not consuming yet ("" once it is). */
  public String waiting() {
    return waiting;
  }

  /** Spans only: their records are keyed by trace id, so a client's retry lands in the same partition (docs/adr/009). */
  static RowDeduplicator deduplicator(IngesterConfig config, IngesterMetrics metrics, Signal signal) {
    if (signal != Signal.TRACES || !config.dedup().enabled()) {
      return null;
    }
    return new RowDeduplicator(config.dedup(), new KafkaWindowSource(config.kafkaBootstrapServers()), n -> metrics.duplicatesDropped(signal, n));
  }

  static RecordConverter converter(Signal signal) {
    return switch (signal) {
      case TRACES -> new WireSpanRows(); // same rows as SpanRows, from the wire format (docs/benchmarks.md)
      case METRICS -> new MetricRows();
      case LOGS -> new LogRows();
    };
  }

  public List<SignalIngester> signals() {
    return List.copyOf(ingesters);
  }

  /** Partitions stalled on a systemic ClickHouse error (a missing table...), empty when ingestion flows. */
  public Stalls stalls() {
    return stalls;
  }

  public ClickHouseWriter writer() {
    return writer;
  }

  public long totalLag() {
    return ingesters.stream().mapToLong(SignalIngester::lag).sum();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    if (starter != null) {
      starter.interrupt();
      try {
        starter.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (SignalIngester si : ingesters) {
      si.close();
    }
    scheduler.shutdownNow();
    workers.shutdown();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadLetters.close();
    writer.close();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
