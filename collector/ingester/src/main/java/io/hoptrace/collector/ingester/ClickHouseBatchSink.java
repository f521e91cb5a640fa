package io.hoptrace.collector.ingester;

import io.hoptrace.collector.ingester.clickhouse.ClickHouseWriter;
import io.hoptrace.collector.ingester.dedup.RowDeduplicator;
import io.hoptrace.collector.ingester.rows.RecordConverter;
import io.hoptrace.collector.ingester.rows.RowBatch;
import io.hoptrace.collector.ingester.rows.RowBinary;
import io.hoptrace.kafka.replay.ReplayHeaders;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Converts a batch's records to rows (once), dead-letters the ones that cannot be decoded, and
 * inserts one RowBinary block per table and day. Insert tokens are {@code <batch id>/<table>/<day>},
 * the same every time the batch is formed, so a repeat adds nothing. Records carrying the replay
 * header go through {@link ClickHouseWriter#insertAbsent}. Runs on the worker executor.
 */
public final class ClickHouseBatchSink implements BatchSink {
  private final RecordConverter converter;
  private final ClickHouseWriter writer;
  private final DeadLetters deadLetters;
  private final Executor workers;
  private final RowDeduplicator dedup;

  /** Work done for a batch so far; survives retries. */
  private static final class Prepared {
    final RowBatch rows;
    final List<DeadLetters.Letter> letters = new ArrayList<>();
    final Set<RowBatch.Key> inserted = new HashSet<>();
    boolean lettersSent;

    Prepared(int expectedBytes) {
      rows = new RowBatch(expectedBytes);
    }
  }

  public ClickHouseBatchSink(RecordConverter converter, ClickHouseWriter writer, DeadLetters deadLetters, Executor workers) {
    this(converter, writer, deadLetters, workers, null);
  }

  /** @param dedup drops rows already in their partition's window (docs/adr/009); null for none */
  public ClickHouseBatchSink(RecordConverter converter, ClickHouseWriter writer, DeadLetters deadLetters, Executor workers,
      RowDeduplicator dedup) {
    this.converter = converter;
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.workers = workers;
    this.dedup = dedup;
  }

  @Override
  public CompletableFuture<Result> write(Batch batch) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return writeNow(batch);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, workers);
  }

  Result writeNow(Batch batch) throws Exception {
    Prepared p = (Prepared) batch.prepared();
    if (p == null) {
      p = prepare(batch);
      batch.prepared(p);
    }
    if (!p.lettersSent && !p.letters.isEmpty()) {
      deadLetters.send(p.letters);
    }
    p.lettersSent = true;
    int inserts = 0;
    for (Map.Entry<RowBatch.Key, RowBinary> part : p.rows.parts().entrySet()) {
      RowBatch.Key key = part.getKey();
      if (p.inserted.contains(key) || part.getValue().rows() == 0) { // rows() == 0: every row was a duplicate
        continue;
      }
      if (batch.cancelled()) {
        throw new java.util.concurrent.CancellationException(batch + " cancelled");
      }
      String token = batch.id() + "/" + key.table().tableName() + "/" + key.day() + (key.replay() ? "/replay" : "");
      if (key.replay()) {
        writer.insertAbsent(key.table(), part.getValue(), token);
      } else {
        writer.insert(key.table(), part.getValue(), token);
      }
      p.inserted.add(key);
      inserts++;
    }
    return new Result(p.rows.rowCount(), inserts, p.letters.size());
  }

  private Prepared prepare(Batch batch) {
    long bytes = 0;
    for (ConsumerRecord<byte[], byte[]> r : batch.records()) {
      bytes += r.value() == null ? 0 : r.value().length;
    }
    Prepared p = new Prepared((int) Math.min(Integer.MAX_VALUE, bytes));
    RowDeduplicator.Session window = dedup == null ? null : dedup.open(new TopicPartition(batch.topic(), batch.partition()), batch.firstOffset(), converter);
    p.rows.filter(window);
    for (ConsumerRecord<byte[], byte[]> r : batch.records()) {
      if (r.value() == null) {
        p.letters.add(new DeadLetters.Letter(r, "record has no value (expected OTLP protobuf)"));
        continue;
      }
      p.rows.replay(ReplayHeaders.isReplay(r.headers()));
      if (window != null) {
        window.begin(r.offset());
      }
      boolean converted = false;
      try {
        converter.convert(r.value(), p.rows);
        converted = true;
      } catch (Exception e) {
        p.letters.add(new DeadLetters.Letter(r, "cannot decode the record as OTLP protobuf: " + e.getMessage()));
      } finally {
        if (window != null) {
          window.end(converted);
        }
      }
    }
    if (window != null) {
      window.close(batch.lastOffset());
    }
    return p;
  }
}
