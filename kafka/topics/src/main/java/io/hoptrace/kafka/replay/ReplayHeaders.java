package io.hoptrace.kafka.replay;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Headers a replayed record carries. A replay re-produces records onto their topic; consumers see a
 * new record and use these to stay idempotent and to link the new trace to the original one.
 */
public final class ReplayHeaders {
  /** {@code <topic>/<partition>/<offset>} of the original record (the first one, for a replay of a replay). */
  public static final String OF = "hoptrace.replay.of";
  /** Identifies one replay run. */
  public static final String ID = "hoptrace.replay.id";
  /** The original record's W3C context; the original {@code traceparent} itself is not copied. */
  public static final String TRACEPARENT = "hoptrace.replay.traceparent";
  public static final String TRACESTATE = "hoptrace.replay.tracestate";

  private ReplayHeaders() {}

  public static boolean isReplay(Headers headers) {
    return headers.lastHeader(OF) != null;
  }

  /** The original context of a replayed record, if it had one. */
  public static Optional<String> originalTraceparent(Headers headers) {
    return string(headers, TRACEPARENT);
  }

  public static Optional<String> originalTracestate(Headers headers) {
    return string(headers, TRACESTATE);
  }

  public static Optional<String> of(Headers headers) {
    return string(headers, OF);
  }

  static Optional<String> string(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }
}
