package io.hoptrace.load.otlp;

import io.hoptrace.load.Pacer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Telemetry under load: OTLP/HTTP protobuf trace exports (the benchmark's realistic spans, every id
 * unique) at a steady request rate over a few connections ({@link Pacer}), each request sent once
 * or, with {@link #retrying}, retried as an OpenTelemetry SDK would; its final answer and its
 * attempts are recorded in a {@link SpanLedger}.
 */
public final class TelemetryLoad {
  private final URI uri;
  private final SpanFactory factory;
  private final String serviceName;
  private final int tracesPerRequest;
  private final Pacer pacer;
  /** Every 25th acknowledged request is kept whole, up to 40 of them: the sample whose stored content is compared. */
  private static final int SAMPLE_EVERY = 25;
  private final SpanLedger ledger = new SpanLedger(40);
  private ExportRetry retry = ExportRetry.none();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param runId names the spans' service ({@code bench-<runId>}): the accounting counts only these
   * @param firstSeed request seeds (and so span ids) start here; give each load of a run its own range
   */
  public TelemetryLoad(String otlpHttpUrl, String runId, long firstSeed, int tracesPerRequest, double requestsPerSecond, int connections) {
    this.uri = URI.create(otlpHttpUrl + "/v1/traces");
    this.factory = new SpanFactory(runId);
    this.serviceName = "bench-" + runId;
    this.tracesPerRequest = tracesPerRequest;
    this.pacer = new Pacer("telemetry-load", requestsPerSecond, connections, tick -> send(firstSeed + tick));
  }

  public String serviceName() {
    return serviceName;
  }

  /** Retries failed requests by {@code policy} (set before {@link #start}); by default a request is sent once. */
  public TelemetryLoad retrying(ExportRetry policy) {
    this.retry = policy;
    return this;
  }

  public TelemetryLoad start() {
    pacer.start();
    return this;
  }

  public SpanLedger ledger() {
    return ledger;
  }

  /** Ticks skipped because every connection still waited for an answer. */
  public long skipped() {
    return pacer.skipped();
  }

  /** Stops sending and waits for the answers of requests in flight; returns the ledger. */
  public SpanLedger stop() throws InterruptedException {
    pacer.stop(Duration.ofMinutes(2));
    return ledger;
  }

  private void send(long seed) {
    byte[] body = factory.request(seed, tracesPerRequest, System.currentTimeMillis() * 1_000_000L);
    long[] ids = spanIds(body);
    SplittableRandom jitter = new SplittableRandom(seed);
    List<String> answers = new ArrayList<>(1);
    while (true) {
      int status;
      Optional<Duration> hint = Optional.empty();
      try {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(retry.timeout())
            .header("content-type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        status = r.statusCode();
        hint = ExportRetry.retryAfter(r.headers().firstValue("retry-after")).or(() -> ExportRetry.retryInfo(r.body()));
      } catch (java.io.IOException e) {
        status = -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answers.add("no answer");
        break;
      }
      answers.add(status == -1 ? "no answer" : Integer.toString(status));
      Optional<Duration> wait = status == 200 || !ExportRetry.retryable(status) ? Optional.empty() : retry.delay(answers.size(), hint, jitter);
      if (wait.isEmpty()) {
        break;
      }
      try {
        Thread.sleep(wait.get().toMillis()); // the exporter's back-off, as the SDK sleeps between attempts
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    ledger.record(ids, answers);
    if ("200".equals(answers.get(answers.size() - 1)) && seed % SAMPLE_EVERY == 0) {
      ledger.sample(body);
    }
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
