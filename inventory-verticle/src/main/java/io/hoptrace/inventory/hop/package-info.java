/**
 * inventory's Kafka hop and the writer of the state of its partitions (ADR 001), one job per class:
 *
 * <ul>
 *   <li>{@link io.hoptrace.inventory.hop.StockKeeper}: the life cycle on a thread of its own (start,
 *       rebuild, ready, start over after a Kafka error, stop) and what the HTTP API asks of it;
 *   <li>{@link io.hoptrace.inventory.hop.StateTopics}: the state topics: a ledger rebuilt from them,
 *       the records a decision adds, the catalogue seeded into an empty stock topic;
 *   <li>{@link io.hoptrace.inventory.hop.TransactionLoop}: read-process-write, one Kafka transaction
 *       per poll, with {@link io.hoptrace.inventory.hop.Batch} holding a transaction's offsets, spans
 *       and direct reductions until it ends (committed, aborted or abandoned, exactly once);
 *   <li>{@link io.hoptrace.inventory.hop.RequestProcessor}: one request decided inside the
 *       transaction, with its spans (CONSUMER, and the result's PRODUCER);
 *   <li>{@link io.hoptrace.inventory.hop.DirectReductions}: the queue of {@code POST /reduce-stock}
 *       reductions, each with its {@code stock transaction} span, each completed exactly once;
 *   <li>{@link io.hoptrace.inventory.hop.Restocks}: {@code POST /restock} published to
 *       {@code stock-restocks} and its caller waiting until the keeper applied it in a transaction;
 *   <li>{@link io.hoptrace.inventory.hop.InventoryMetrics}, {@link io.hoptrace.inventory.hop.StockView}
 *       and {@link io.hoptrace.inventory.hop.KeeperClients}: the instruments, the products readers
 *       see, the Kafka clients' settings.
 * </ul>
 *
 * <p>The domain ({@code stock/}: {@code StockLedger}, {@code Decision}, {@code Product},
 * {@code ReductionRequest}, {@code RestockRequest}) knows nothing of Kafka.
 *
 * <p>Several instances in one consumer group (ADR 001): each owns the partitions it is assigned
 * ({@link io.hoptrace.inventory.hop.Partitioning}: one partition number per product across the
 * requests, restocks and state topics); the loop's rebalance listener rebuilds their state on
 * assignment and drops it on revocation, inside its poll, between two transactions; every
 * transaction commits its offsets with {@code consumer.groupMetadata()}, so an old generation cannot.
 */
package io.hoptrace.inventory.hop;
