package io.hoptrace.kafka;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What the business hop's transactional producers (order's publisher, inventory's stock keeper) set
 * beyond their own timeouts, in one place.
 */
public final class TransactionalProducerSettings {
  /**
   * First retry back-off of a producer request, in ms (the client's default is 100). A transaction's
   * first request can reach the coordinator while the previous commit's markers are still being
   * written: it is refused with {@code CONCURRENT_TRANSACTIONS} and retried after this back-off
   * ({@code AddPartitionsToTxn} waits at most 20 ms, {@code AddOffsetsToTxn} the full back-off). At
   * 100 ms that was the tail of a hot product's orders (docs/benchmarks.md, where an order's time
   * goes). Under a real outage the back-off still doubles per attempt up to {@code retry.backoff.max.ms}.
   */
  public static final int RETRY_BACKOFF_MS = 10;

  private TransactionalProducerSettings() {}

  /** Sets idempotence, {@code acks=all} and the retry back-off above. */
  public static void applyTo(Properties p) {
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, RETRY_BACKOFF_MS);
  }
}
