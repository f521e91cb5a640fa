package io.hoptrace.inventory.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What a stock transaction writes, and when: nothing until the batch is decided, each product's stock once. */
class TransactionOutboxTest {
  private final TransactionOutbox outbox = new TransactionOutbox("stock");
  private final List<ProducerRecord<String, String>> written = new ArrayList<>();

  @Test
  void nothingIsWrittenUntilTheBatchIsDecidedThenEverythingInTheOrderDecided() {
    outbox.send(record("stock", 1, "phone", "24"), null);
    outbox.send(record("decisions", 1, "o-1", "d1"), null);
    outbox.send(record("results", null, "o-1", "r1"), null);
    assertThat(written).isEmpty();

    outbox.writeTo((r, cb) -> written.add(r));

    assertThat(written).extracting(ProducerRecord::value).containsExactly("24", "d1", "r1");
    assertThat(outbox.size()).isZero();
  }

  @Test
  void aProductDecidedSeveralTimesInOneTransactionIsWrittenOnceWithItsLastStock() {
    for (int i = 1; i <= 3; i++) {
      outbox.send(record("stock", 1, "phone", Integer.toString(25 - i)), null);
      outbox.send(record("decisions", 1, "o-" + i, "d" + i), null);
      outbox.send(record("results", null, "o-" + i, "r" + i), null);
    }
    outbox.send(record("stock", 2, "laptop", "9"), null);

    outbox.writeTo((r, cb) -> written.add(r));

    assertThat(written).filteredOn(r -> r.topic().equals("stock")).extracting(ProducerRecord::key, ProducerRecord::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("phone", "22"), org.assertj.core.groups.Tuple.tuple("laptop", "9"));
    assertThat(written).filteredOn(r -> r.topic().equals("decisions")).extracting(ProducerRecord::value).containsExactly("d1", "d2", "d3");
    assertThat(written).filteredOn(r -> r.topic().equals("results")).extracting(ProducerRecord::value).containsExactly("r1", "r2", "r3");
  }

  @Test
  void everyCallbackOfACoalescedRecordHearsItsOutcome() {
    List<String> heard = new ArrayList<>();
    outbox.send(record("stock", 1, "phone", "24"), (m, e) -> heard.add("first " + m.offset()));
    outbox.send(record("stock", 1, "phone", "23"), (m, e) -> heard.add("second " + m.offset()));

    outbox.writeTo((r, cb) -> cb.onCompletion(new RecordMetadata(new TopicPartition(r.topic(), 1), 7, 0, 0, 0, 0), null));

    assertThat(heard).containsExactly("first 7", "second 7");
  }

  @Test
  void aClearedTransactionWritesNothingOfWhatItHeld() {
    outbox.send(record("stock", 1, "phone", "24"), null);
    outbox.send(record("results", null, "o-1", "r1"), null);
    outbox.clear();
    outbox.send(record("stock", 1, "phone", "25"), null);

    outbox.writeTo((r, cb) -> written.add(r));

    assertThat(written).extracting(ProducerRecord::value).containsExactly("25");
  }

  @Test
  void aSendThatThrowsTellsItsCallbackAndThoseOfTheRecordsNotSentYet() {
    List<String> failed = new ArrayList<>();
    outbox.send(record("decisions", 1, "o-1", "d1"), (m, e) -> failed.add("d1 " + (e == null ? "ok" : e.getMessage())));
    outbox.send(record("results", null, "o-1", "r1"), (m, e) -> failed.add("r1 " + (e == null ? "ok" : e.getMessage())));
    outbox.send(record("results", null, "o-2", "r2"), (m, e) -> failed.add("r2 " + (e == null ? "ok" : e.getMessage())));

    assertThatThrownBy(() -> outbox.writeTo((r, cb) -> {
      if (r.value().equals("r1")) {
        throw new KafkaException("fenced");
      }
      cb.onCompletion(new RecordMetadata(new TopicPartition(r.topic(), 1), 1, 0, 0, 0, 0), null);
    })).hasMessage("fenced");

    assertThat(failed).containsExactly("d1 ok", "r1 fenced", "r2 fenced");
  }

  private static ProducerRecord<String, String> record(String topic, Integer partition, String key, String value) {
    return new ProducerRecord<>(topic, partition, key, value);
  }
}
