package io.hoptrace.kafka.replay;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A dead letter's way back: the record as it was (key, value, its own headers), addressed to the
 * topic and partition it came from, without the {@code hoptrace.dlq.*} headers and marked as a replay
 * of its original offset.
 */
public final class DeadLetterCopy {
  private DeadLetterCopy() {}

  /**
   * @param origin the topic the dead-letter topic belongs to; a letter naming another is refused
   * @throws IllegalArgumentException when the letter does not say where it came from
   */
  public static ProducerRecord<byte[], byte[]> copyOf(ConsumerRecord<byte[], byte[]> letter, String origin, String replayId) {
    DeadLetterHeaders.Origin from = DeadLetterHeaders.origin(letter.headers()).orElseThrow(() -> new IllegalArgumentException(
        "dead letter " + letter.topic() + "/" + letter.partition() + "/" + letter.offset() + " has no "
            + DeadLetterHeaders.TOPIC + "/" + DeadLetterHeaders.PARTITION + "/" + DeadLetterHeaders.OFFSET + " headers"));
    if (!from.topic().equals(origin)) {
      throw new IllegalArgumentException("dead letter " + letter.topic() + "/" + letter.partition() + "/" + letter.offset()
          + " came from " + from.topic() + ", not " + origin);
    }
    return new ProducerRecord<>(from.topic(), from.partition(), null, letter.key(), letter.value(),
        TopicReplayer.replayHeaders(letter, from.toString(), replayId, DeadLetterHeaders.PREFIX));
  }
}
