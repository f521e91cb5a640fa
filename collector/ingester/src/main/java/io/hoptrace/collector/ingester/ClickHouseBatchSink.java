package io.hoptrace.collector.ingester;

import io.hoptrace.collector.ingester.clickhouse.ClickHouseWriter;
import io.hoptrace.collector.ingester.dedup.RowDeduplicator;
import io.hoptrace.collector.ingester.rows.RecordConverter;
import io.hoptrace.collector.ingester.rows.RowBatch;
import io.hoptrace.collector.ingester.rows.RowBinary;
import io.hoptrace.kafka.replay.ReplayHeaders;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts a batch's records to rows (once), dead-letters the ones that cannot be decoded, and
 * inserts one RowBinary block per table and day. Insert tokens are {@code <batch id>/<table>/<day>},
 * the same every time the batch is formed, so a repeat adds nothing. Records carrying the replay
 * header go through {@link ClickHouseWriter#insertAbsent}. A failed insert is classified
 * ({@link InsertError}): when ClickHouse refuses rows for their data, the refused rows are isolated
 * ({@link RefusedRows}), the rest written and the records of the refused rows dead-lettered; any
 * other failure fails the write as an {@link InsertFailedException} (retried by the decorators).
 * Runs on the worker executor.
 */
public final class ClickHouseBatchSink implements BatchSink {
  private static final Logger log = LoggerFactory.getLogger(ClickHouseBatchSink.class);
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
    /**
     * Inserts that failed in a way that leaves their outcome unknown (ClickHouse killed mid-insert,
     * a timeout). Their retries go through the content check, not the token: ClickHouse can keep a
     * token in its deduplication log while the part it belongs to did not survive a crash, and then
     * drops the retry as a duplicate of rows it does not have (the fault suite lost a batch so, 1
     * run in 10).
     */
    final Set<RowBatch.Key> uncertain = new HashSet<>();
    int checkedAttempts;
    /** The batch's de-duplication (null when off): which rows it dropped. */
    RowDeduplicator.Session window;
    /** Records with rows ClickHouse refused (by index in the batch), for the dead-letter topic. */
    final Map<Integer, DeadLetters.Letter> refused = new TreeMap<>();
    int refusedRows;
    boolean lettersSent;
    boolean refusedSent;

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
      try {
        if (p.uncertain.contains(key)) {
          // a token of its own each time: the checked copy may meet the same fate as the first insert
          writer.insertAbsent(key.table(), part.getValue(), token + "/checked/" + (++p.checkedAttempts));
        } else {
          insert(key, part.getValue(), token);
        }
        inserts++;
      } catch (Exception e) {
        InsertError error = InsertError.classify(e);
        if (error.kind() != InsertError.Kind.PERMANENT) {
          p.uncertain.add(key);
          throw new InsertFailedException(table(key), error, e);
        }
        inserts += isolateRefused(batch, p, key, token, error);
      }
      p.inserted.add(key);
    }
    if (!p.refusedSent && !p.refused.isEmpty()) {
      deadLetters.send(List.copyOf(p.refused.values()));
    }
    p.refusedSent = true;
    return new Result(p.rows.rowCount() - p.refusedRows, inserts, p.letters.size() + p.refused.size());
  }

  private void insert(RowBatch.Key key, RowBinary rows, String token) throws Exception {
    if (key.replay()) {
      writer.insertAbsent(key.table(), rows, token);
    } else {
      writer.insert(key.table(), rows, token);
    }
  }

  private String table(RowBatch.Key key) {
    return writer.database() + "." + key.table().tableName();
  }

  /**
   * ClickHouse refused the insert of {@code key} for its data: convert the records again, one by one
   * and keeping row boundaries, to know each row's record; write every row it accepts and turn the
   * records of the refused ones into dead letters. Returns the inserts made.
   */
  private int isolateRefused(Batch batch, Prepared p, RowBatch.Key key, String token, InsertError error) throws InsertFailedException {
    List<RefusedRows.Row> rows = new ArrayList<>();
    Map<Long, List<Long>> dropped = p.window == null ? Map.of() : p.window.droppedHashes();
    List<ConsumerRecord<byte[], ByteBuffer>> records = batch.records();
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<byte[], ByteBuffer> r = records.get(i);
      if (r.value() == null) {
        continue;
      }
      RowBatch one = new RowBatch(r.value().remaining()).trackRows();
      one.replay(ReplayHeaders.isReplay(r.headers()));
      try {
        converter.convert(r.value(), one);
      } catch (Exception undecodable) {
        continue; // already a dead letter
      }
      RowBinary mine = one.parts().get(key);
      for (int row = 0; mine != null && row < mine.rows(); row++) {
        byte[] bytes = mine.row(row);
        List<Long> droppedHere = dropped.get(r.offset());
        if (droppedHere == null || !droppedHere.remove(Long.valueOf(RowDeduplicator.hash(key.table(), bytes, 0, bytes.length)))) {
          rows.add(new RefusedRows.Row(i, bytes)); // a row the de-duplication window dropped stays dropped
        }
      }
    }
    String table = table(key);
    RefusedRows.Outcome outcome = RefusedRows.isolate(table, rows, error, (part, suffix) -> insert(key, part, token + suffix));
    log.warn("{}: ClickHouse refused {} of {} rows for {} ({}); {} rows written, the {} records of the refused rows go to the"
        + " dead-letter topic", batch, rows.size() - outcome.storedRows(), rows.size(), table, error, outcome.storedRows(),
        outcome.refused().size());
    for (Map.Entry<Integer, RefusedRows.Refusal> e : outcome.refused().entrySet()) {
      RefusedRows.Refusal refusal = e.getValue();
      p.refusedRows += refusal.rows();
      p.refused.merge(e.getKey(), letter(records.get(e.getKey()), table, refusal), (a, b) -> {
        int both = Integer.parseInt(a.details().get(DeadLetters.REFUSED_ROWS)) + refusal.rows();
        return letter(a.record(), a.details().get(DeadLetters.TABLE) + "," + table, new RefusedRows.Refusal(both, refusal.error()));
      });
    }
    return outcome.inserts();
  }

  private static DeadLetters.Letter letter(ConsumerRecord<byte[], ByteBuffer> record, String table, RefusedRows.Refusal refusal) {
    InsertError error = refusal.error();
    return new DeadLetters.Letter(record, "ClickHouse refused " + refusal.rows() + " row(s) of the record for " + table
        + " (" + error.codeText() + "): " + error.message(),
        Map.of(DeadLetters.ERROR_CODE, Integer.toString(error.code()), DeadLetters.TABLE, table,
            DeadLetters.REFUSED_ROWS, Integer.toString(refusal.rows())));
  }

  private Prepared prepare(Batch batch) {
    long bytes = 0;
    for (ConsumerRecord<byte[], ByteBuffer> r : batch.records()) {
      bytes += r.value() == null ? 0 : r.value().remaining();
    }
    Prepared p = new Prepared((int) Math.min(Integer.MAX_VALUE, bytes));
    RowDeduplicator.Session window = dedup == null ? null : dedup.open(new TopicPartition(batch.topic(), batch.partition()), batch.firstOffset(), converter);
    p.rows.filter(window);
    p.window = window;
    for (ConsumerRecord<byte[], ByteBuffer> r : batch.records()) {
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
