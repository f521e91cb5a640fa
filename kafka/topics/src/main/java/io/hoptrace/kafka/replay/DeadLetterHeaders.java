package io.hoptrace.kafka.replay;

import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * Headers of a record in a dead-letter topic ({@code <topic>.dlq}): why it is there and where it came
 * from. Written by the ingester; read by the dead-letter replay, which sends the record back to its
 * origin.
 */
public final class DeadLetterHeaders {
  /** Every header of a dead letter's own starts with this (the copy back drops them). */
  public static final String PREFIX = "hoptrace.dlq.";
  public static final String ERROR = "hoptrace.dlq.error";
  public static final String TOPIC = "hoptrace.dlq.topic";
  public static final String PARTITION = "hoptrace.dlq.partition";
  public static final String OFFSET = "hoptrace.dlq.offset";
  /** For rows ClickHouse refused: its error code, the table, and how many of the record's rows it refused. */
  public static final String ERROR_CODE = "hoptrace.dlq.error.code";
  public static final String TABLE = "hoptrace.dlq.table";
  public static final String REFUSED_ROWS = "hoptrace.dlq.refused.rows";

  private DeadLetterHeaders() {}

  /** Where a dead letter came from: its original topic, partition and offset. */
  public record Origin(String topic, int partition, long offset) {
    @Override
    public String toString() {
      return topic + "/" + partition + "/" + offset;
    }
  }

  /** The origin named by the headers, empty when one of them is missing or malformed. */
  public static Optional<Origin> origin(Headers headers) {
    Optional<String> topic = ReplayHeaders.string(headers, TOPIC);
    Optional<String> partition = ReplayHeaders.string(headers, PARTITION);
    Optional<String> offset = ReplayHeaders.string(headers, OFFSET);
    if (topic.isEmpty() || partition.isEmpty() || offset.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Origin(topic.get(), Integer.parseInt(partition.get()), Long.parseLong(offset.get())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
