package io.hoptrace.collector.buffer;

/**
 * Headers of a telemetry record (besides the W3C and replay headers it may carry). The record key is
 * the trace id for spans (one trace's spans land in one partition), none for metrics and logs.
 */
public final class BufferHeaders {
  /** How many items (spans, data points, log records) the record holds, in ASCII decimal: the ingester sizes batches by it. */
  public static final String ITEMS = "hoptrace.items";

  private BufferHeaders() {}
}
