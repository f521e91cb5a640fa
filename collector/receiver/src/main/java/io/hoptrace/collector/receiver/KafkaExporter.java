package io.hoptrace.collector.receiver;

import io.hoptrace.collector.otlp.InvalidOtlpException;
import io.hoptrace.collector.otlp.OtlpDecoder;
import io.hoptrace.collector.otlp.OtlpRequest;
import io.hoptrace.collector.otlp.OtlpSplitter;
import io.hoptrace.collector.otlp.Signal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Validates a request, cuts it into records ({@link OtlpSplitter}) and publishes them to the signal's
 * topic. Decoding runs on a worker thread; the answer completes once Kafka acknowledged every record.
 * Requests beyond the in-flight bound are refused at once.
 */
public final class KafkaExporter implements Exporter {
  private final Vertx vertx;
  private final ReceiverConfig config;
  private final KafkaPublisher publisher;
  private final InFlightBytes inFlight;

  public KafkaExporter(Vertx vertx, ReceiverConfig config, KafkaPublisher publisher, InFlightBytes inFlight) {
    this.vertx = vertx;
    this.config = config;
    this.publisher = publisher;
    this.inFlight = inFlight;
  }

  @Override
  public Future<Result> export(Signal signal, byte[] body, BodyFormat format) {
    long reserved = body.length;
    if (!inFlight.tryAcquire(reserved)) {
      return Future.failedFuture(new ExportException(ExportException.Kind.OVERLOADED,
          "the collector holds " + inFlight.used() + " bytes of requests not yet acknowledged by Kafka (limit "
              + inFlight.limit() + ", COLLECTOR_MAX_INFLIGHT_BYTES); retry later"));
    }
    // on the worker: validate, split and hand every record to the producer in one task; back on
    // this context once Kafka acknowledged all of them (one hop each way per request, docs/adr/017)
    Context context = vertx.getOrCreateContext();
    String topic = config.topic(signal);
    Future<Result> result = vertx.executeBlocking(() -> {
      List<OtlpSplitter.Part> parts = decodeAndSplit(signal, body, format);
      Result r = new Result(parts.stream().mapToInt(OtlpSplitter.Part::items).sum(), parts.size());
      return publisher.publish(topic, parts).thenApply(v -> r);
    }, false).compose(acked -> Future.fromCompletionStage(acked, context)
        .recover(e -> Future.failedFuture(kafkaFailure(topic, unwrap(e)))));
    return result.andThen(ar -> inFlight.release(reserved));
  }

  private List<OtlpSplitter.Part> decodeAndSplit(Signal signal, byte[] body, BodyFormat format) {
    try {
      OtlpRequest req = format == BodyFormat.JSON ? OtlpDecoder.json(signal, body) : OtlpDecoder.protobuf(signal, body);
      return OtlpSplitter.split(signal, req.protobuf(), req.items(), config.maxRecordBytes());
    } catch (InvalidOtlpException e) {
      throw new ExportException(ExportException.Kind.INVALID, e.getMessage(), e);
    } catch (OtlpSplitter.ItemTooLargeException e) {
      throw new ExportException(ExportException.Kind.TOO_LARGE, e.getMessage(), e);
    }
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  static ExportException kafkaFailure(String topic, Throwable cause) {
    if (cause instanceof RecordTooLargeException) {
      return new ExportException(ExportException.Kind.TOO_LARGE, "Kafka refused a record as too large for topic " + topic
          + ": " + cause.getMessage() + " (lower COLLECTOR_MAX_RECORD_BYTES below the topic's max.message.bytes)", cause);
    }
    String what = cause instanceof RetriableException || cause instanceof org.apache.kafka.common.errors.TimeoutException
        ? "Kafka did not acknowledge the data in time" : "Kafka refused the data";
    return new ExportException(ExportException.Kind.UNAVAILABLE, what + " (topic " + topic + "): " + cause.getMessage()
        + "; nothing of this request is acknowledged, retry later", cause);
  }
}
