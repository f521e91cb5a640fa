package io.hoptrace.inventory.hop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records of one stock transaction, held while its batch is decided and written together just
 * before the offsets and the commit (ADR 016). A product's stock is written once per transaction, its
 * last state: the stock topic is compacted and read only as committed, so the states in between were
 * never visible to anyone. Decisions and results are all written, in the order decided. Writing them
 * together lets the producer add every partition to the transaction in one request instead of one per
 * partition as the records trickle in while the batch is decided. Used on the keeper's thread only.
 */
final class TransactionOutbox implements RequestProcessor.Outbox {
  private record Entry(ProducerRecord<String, String> record, Callback whenSent) {}

  private final String stockTopic;
  private final List<Entry> entries = new ArrayList<>();
  /** index in {@link #entries} of the stock record of each (partition, product) */
  private final Map<List<Object>, Integer> stock = new HashMap<>();

  TransactionOutbox(String stockTopic) {
    this.stockTopic = Objects.requireNonNull(stockTopic);
  }

  @Override
  public void send(ProducerRecord<String, String> record, Callback whenSent) {
    if (record.topic().equals(stockTopic)) {
      List<Object> key = java.util.Arrays.asList(record.partition(), record.key());
      Integer at = stock.get(key);
      if (at != null) {
        Entry before = entries.get(at);
        entries.set(at, new Entry(record, chain(before.whenSent(), whenSent)));
        return;
      }
      stock.put(key, entries.size());
    }
    entries.add(new Entry(record, whenSent));
  }

  /** How many records the transaction will write. */
  int size() {
    return entries.size();
  }

  /**
   * Hands every record to the producer (inside its open transaction) and empties the outbox. A send
   * that throws tells its callback and those of the records not sent yet (their publish spans end)
   * before the exception ends the transaction.
   */
  void writeTo(RequestProcessor.Outbox producer) {
    List<Entry> all = List.copyOf(entries);
    clear();
    for (int i = 0; i < all.size(); i++) {
      try {
        producer.send(all.get(i).record(), all.get(i).whenSent()); // the transactional producer's send
      } catch (RuntimeException failed) {
        for (Entry e : all.subList(i, all.size())) {
          if (e.whenSent() != null) {
            e.whenSent().onCompletion(null, failed);
          }
        }
        throw failed;
      }
    }
  }

  /** Forgets what a transaction that did not happen would have written. */
  void clear() {
    entries.clear();
    stock.clear();
  }

  private static Callback chain(Callback first, Callback second) {
    if (first == null) {
      return second;
    }
    if (second == null) {
      return first;
    }
    return (metadata, error) -> {
      first.onCompletion(metadata, error);
      second.onCompletion(metadata, error);
    };
  }
}
