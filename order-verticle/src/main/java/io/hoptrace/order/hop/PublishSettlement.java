package io.hoptrace.order.hop;

import io.hoptrace.order.orders.Order;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * Settles requests whose transaction outcome the publisher could not learn (its commit timed out,
 * or the producer was fenced): the record was acknowledged at a known offset, but is it committed?
 *
 * <p>The order service's own {@code read_committed} reader of {@code stock-reductions} answers it.
 * Such a reader cannot move past an open transaction, and skips aborted records. So once its
 * position on the partition is beyond the record's offset, the transaction is decided: either the
 * reader handed the record over ({@link #seen}: the order proceeds), or it was aborted and the
 * order is FAILED ({@code onNeverCommitted}). Every published record is expected before its
 * commit, so the reader can never see a record that was not expected yet.
 */
public final class PublishSettlement {
  private record Expected(Order order, TopicPartition partition, long offset) {}

  private final Consumer<Order> onNeverCommitted;
  // an order id may be published more than once (a retry with the same Idempotency-Key)
  private final Map<String, List<Expected>> byOrder = new HashMap<>();
  private final Map<TopicPartition, NavigableMap<Long, Expected>> byPartition = new HashMap<>();

  /** @param onNeverCommitted called on the reader's thread for each order none of whose records was committed */
  public PublishSettlement(Consumer<Order> onNeverCommitted) {
    this.onNeverCommitted = onNeverCommitted;
  }

  /** Called by the publisher once Kafka acknowledged the record, before the transaction commits. */
  public synchronized void expect(Order order, TopicPartition partition, long offset) {
    Expected e = new Expected(order, partition, offset);
    byOrder.computeIfAbsent(order.orderId(), id -> new ArrayList<>()).add(e);
    byPartition.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, e);
  }

  /** The reader handed over a committed request for this order: it exists, whatever else was aborted. */
  public synchronized void seen(String orderId) {
    List<Expected> all = byOrder.remove(orderId);
    if (all != null) {
      all.forEach(this::unindex);
    }
  }

  /**
   * After each poll of the reader: an expected record below the reader's position that it did not
   * hand over was aborted; its order failed when no other record of it is still expected.
   *
   * @param position the reader's next offset on a partition (null when it does not read that partition)
   */
  public void check(Function<TopicPartition, Long> position) {
    List<Order> failed = new ArrayList<>();
    synchronized (this) {
      List<Expected> passed = new ArrayList<>();
      byPartition.forEach((partition, at) -> {
        Long next = position.apply(partition);
        if (next != null) {
          passed.addAll(at.headMap(next, false).values());
        }
      });
      for (Expected e : passed) {
        unindex(e);
        List<Expected> others = byOrder.get(e.order().orderId());
        others.remove(e);
        if (others.isEmpty()) {
          byOrder.remove(e.order().orderId());
          failed.add(e.order());
        }
      }
    }
    failed.forEach(onNeverCommitted);
  }

  private void unindex(Expected e) {
    NavigableMap<Long, Expected> at = byPartition.get(e.partition());
    at.remove(e.offset());
    if (at.isEmpty()) {
      byPartition.remove(e.partition());
    }
  }

  /** How many published records still wait for the reader. */
  public synchronized int pending() {
    return byPartition.values().stream().mapToInt(Map::size).sum();
  }
}
