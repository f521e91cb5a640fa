package io.hoptrace.collector.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Decodes and validates OTLP export requests in protobuf or OTLP/JSON. Validation is what the
 * ingester relies on later: the body parses, and every id has its W3C length (trace 16 bytes,
 * span 8 bytes; a span needs both). Protobuf bodies are passed on as received, not re-encoded.
 */
public final class OtlpDecoder {
  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

  private OtlpDecoder() {}

  public static OtlpRequest protobuf(Signal signal, byte[] body) throws InvalidOtlpException {
    if (signal == Signal.TRACES) {
      return new OtlpRequest(signal, body, TraceWireValidator.validate(body)); // no objects per span
    }
    Message msg;
    try {
      msg = signal.parser().parseFrom(body); // the parser, not a builder: no nested builders per span
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidOtlpException("the body is not a valid protobuf " + requestName(signal) + ": " + e.getMessage(), e);
    }
    return new OtlpRequest(signal, body, validate(signal, msg));
  }

  /** OTLP/JSON: lowerCamelCase (or snake_case) keys, hex trace/span ids, enums as ints or names, unknown keys ignored. */
  public static OtlpRequest json(Signal signal, byte[] body) throws InvalidOtlpException {
    String converted = OtlpJson.hexIdsToBase64(body);
    Message.Builder b = signal.newRequestBuilder();
    try {
      JSON.merge(converted, b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new InvalidOtlpException("the body is not a valid OTLP/JSON " + requestName(signal) + ": " + e.getMessage(), e);
    }
    Message msg = b.build();
    return new OtlpRequest(signal, msg.toByteArray(), validate(signal, msg));
  }

  static String requestName(Signal signal) {
    return signal.newRequestBuilder().getDescriptorForType().getName();
  }

  /** Returns the number of items; throws naming the first invalid one. */
  static int validate(Signal signal, Message msg) throws InvalidOtlpException {
    switch (signal) {
      case TRACES -> {
        int n = 0;
        ExportTraceServiceRequest req = (ExportTraceServiceRequest) msg;
        for (int r = 0; r < req.getResourceSpansCount(); r++) {
          ResourceSpans rs = req.getResourceSpans(r);
          for (int s = 0; s < rs.getScopeSpansCount(); s++) {
            ScopeSpans ss = rs.getScopeSpans(s);
            for (int i = 0; i < ss.getSpansCount(); i++) {
              Span span = ss.getSpans(i);
              if (!ok(span.getTraceId(), 16, false) || !ok(span.getSpanId(), 8, false) || !ok(span.getParentSpanId(), 8, true)) {
                String where = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
                id(span.getTraceId(), 16, false, where + ".traceId");
                id(span.getSpanId(), 8, false, where + ".spanId");
                id(span.getParentSpanId(), 8, true, where + ".parentSpanId");
              }
              for (int l = 0; l < span.getLinksCount(); l++) {
                String link = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "].links[" + l + "]";
                id(span.getLinks(l).getTraceId(), 16, false, link + ".traceId");
                id(span.getLinks(l).getSpanId(), 8, false, link + ".spanId");
              }
              n++;
            }
          }
        }
        return n;
      }
      case LOGS -> {
        int n = 0;
        ExportLogsServiceRequest req = (ExportLogsServiceRequest) msg;
        for (int r = 0; r < req.getResourceLogsCount(); r++) {
          ResourceLogs rl = req.getResourceLogs(r);
          for (int s = 0; s < rl.getScopeLogsCount(); s++) {
            ScopeLogs sl = rl.getScopeLogs(s);
            for (int i = 0; i < sl.getLogRecordsCount(); i++) {
              LogRecord lr = sl.getLogRecords(i);
              if (!ok(lr.getTraceId(), 16, true) || !ok(lr.getSpanId(), 8, true)) {
                String where = "resourceLogs[" + r + "].scopeLogs[" + s + "].logRecords[" + i + "]";
                id(lr.getTraceId(), 16, true, where + ".traceId");
                id(lr.getSpanId(), 8, true, where + ".spanId");
              }
              n++;
            }
          }
        }
        return n;
      }
      case METRICS -> {
        int n = 0;
        ExportMetricsServiceRequest req = (ExportMetricsServiceRequest) msg;
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
          for (ScopeMetrics sm : rm.getScopeMetricsList()) {
            for (Metric m : sm.getMetricsList()) {
              n += switch (m.getDataCase()) {
                case GAUGE -> m.getGauge().getDataPointsCount();
                case SUM -> m.getSum().getDataPointsCount();
                case HISTOGRAM -> m.getHistogram().getDataPointsCount();
                case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
                case SUMMARY -> m.getSummary().getDataPointsCount();
                default -> 0;
              };
            }
          }
        }
        return n;
      }
      default -> throw new IllegalStateException(signal.name());
    }
  }

  private static boolean ok(ByteString id, int length, boolean optional) {
    int n = id.size();
    return n == length || optional && n == 0;
  }

  private static void id(ByteString id, int length, boolean optional, String where) throws InvalidOtlpException {
    int n = id.size();
    if (n == length || optional && n == 0) {
      return;
    }
    throw new InvalidOtlpException(where + " must be " + length + " bytes (" + 2 * length + " hex digits in JSON)"
        + (optional ? " or empty" : "") + ", got " + n + " bytes");
  }
}
