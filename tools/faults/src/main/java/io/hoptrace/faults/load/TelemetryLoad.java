package io.hoptrace.faults.load;

import io.hoptrace.bench.SpanFactory;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Telemetry under load: OTLP/HTTP protobuf trace exports (the benchmark's realistic spans, every id
 * unique) at a steady request rate over a few connections, each request sent once (no retry), and
 * its answer recorded in a {@link SpanLedger}. A tick that finds every connection busy is skipped and
 * counted, so a stalled receiver slows the load down instead of queueing it without bound.
 */
public final class TelemetryLoad {
  private final String url;
  private final SpanFactory factory;
  private final String serviceName;
  private final int tracesPerRequest;
  private final long periodNanos;
  private final Semaphore connections;
  private final ExecutorService senders;
  private final Thread ticker;
  private final SpanLedger ledger = new SpanLedger();
  private final AtomicLong nextSeed;
  private final AtomicLong skipped = new AtomicLong();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private volatile boolean running = true;

  /**
   * @param runId names the spans' service ({@code bench-<runId>}): the accounting counts only these
   * @param firstSeed request seeds (and so span ids) start here; give each load of a run its own range
   */
  public TelemetryLoad(String otlpHttpUrl, String runId, long firstSeed, int tracesPerRequest, double requestsPerSecond, int connections) {
    this.url = otlpHttpUrl + "/v1/traces";
    this.factory = new SpanFactory(runId);
    this.serviceName = "bench-" + runId;
    this.tracesPerRequest = tracesPerRequest;
    this.periodNanos = (long) (1e9 / requestsPerSecond);
    this.connections = new Semaphore(connections);
    this.senders = Executors.newFixedThreadPool(connections);
    this.nextSeed = new AtomicLong(firstSeed);
    this.ticker = new Thread(this::tick, "telemetry-load");
    ticker.setDaemon(true);
  }

  public String serviceName() {
    return serviceName;
  }

  public TelemetryLoad start() {
    ticker.start();
    return this;
  }

  public SpanLedger ledger() {
    return ledger;
  }

  /** Ticks skipped because every connection still waited for an answer. */
  public long skipped() {
    return skipped.get();
  }

  /** Stops sending and waits for the answers of requests in flight; returns the ledger. */
  public SpanLedger stop() throws InterruptedException {
    running = false;
    ticker.join();
    senders.shutdown();
    if (!senders.awaitTermination(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("telemetry requests still unanswered 2 minutes after the load stopped");
    }
    return ledger;
  }

  private void tick() {
    long next = System.nanoTime();
    while (running) {
      if (connections.tryAcquire()) {
        long seed = nextSeed.getAndIncrement();
        senders.execute(() -> {
          try {
            send(seed);
          } finally {
            connections.release();
          }
        });
      } else {
        skipped.incrementAndGet();
      }
      next += periodNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not waiting for anything
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void send(long seed) {
    byte[] body = factory.request(seed, tracesPerRequest, System.currentTimeMillis() * 1_000_000L);
    long[] ids = spanIds(body);
    String answer;
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
          .header("content-type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.discarding());
      answer = Integer.toString(r.statusCode());
    } catch (java.io.IOException e) {
      answer = "no answer";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = "no answer";
    }
    ledger.record(ids, answer);
  }

  /** The span ids of an export request, as longs. */
  public static long[] spanIds(byte[] exportTraceServiceRequest) {
    try {
      ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(exportTraceServiceRequest);
      int n = 0;
      for (ResourceSpans rs : req.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          n += ss.getSpansCount();
        }
      }
      long[] ids = new long[n];
      int i = 0;
      for (ResourceSpans rs : req.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            ids[i++] = ByteBuffer.wrap(s.getSpanId().toByteArray()).getLong();
          }
        }
      }
      return ids;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("the load generator built an invalid request", e);
    }
  }
}
