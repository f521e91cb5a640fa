package io.hoptrace.collector.ingester.rows;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;

/** Turns the value of one telemetry record (OTLP protobuf) into rows of the contract tables. */
public interface RecordConverter {
  /**
   * Parses the {@code length} bytes of {@code otlp} from {@code offset} and appends their rows to
   * {@code out}; writes nothing when they cannot be parsed. Reads the bytes in place: the array may be
   * a larger buffer (a Kafka record's value inside its fetched batch), which is never written.
   *
   * @return the number of rows written
   * @throws InvalidProtocolBufferException the value is not the expected OTLP message (it can never be ingested)
   */
  int convert(byte[] otlp, int offset, int length, RowBatch out) throws InvalidProtocolBufferException;

  default int convert(byte[] otlp, RowBatch out) throws InvalidProtocolBufferException {
    return convert(otlp, 0, otlp.length, out);
  }

  /** A record's value as the consumer hands it over (a slice of the fetched records, docs/adr/017): read in place. */
  default int convert(ByteBuffer value, RowBatch out) throws InvalidProtocolBufferException {
    if (value.hasArray()) {
      return convert(value.array(), value.arrayOffset() + value.position(), value.remaining(), out);
    }
    byte[] copy = new byte[value.remaining()];
    value.duplicate().get(copy);
    return convert(copy, 0, copy.length, out);
  }
}
