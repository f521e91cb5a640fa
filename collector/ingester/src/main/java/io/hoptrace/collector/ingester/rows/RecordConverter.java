package io.hoptrace.collector.ingester.rows;

import com.google.protobuf.InvalidProtocolBufferException;

/** Turns the value of one telemetry record (OTLP protobuf) into rows of the contract tables. */
public interface RecordConverter {
  /**
   * Parses {@code otlp} and appends its rows to {@code out}; writes nothing when it cannot be parsed.
   *
   * @return the number of rows written
   * @throws InvalidProtocolBufferException the value is not the expected OTLP message (it can never be ingested)
   */
  int convert(byte[] otlp, RowBatch out) throws InvalidProtocolBufferException;
}
