package io.hoptrace.collector.ingester.dedup;

import io.hoptrace.collector.ingester.rows.RecordConverter;
import io.hoptrace.collector.ingester.rows.RowBatch;
import io.hoptrace.collector.ingester.rows.RowFilter;
import io.hoptrace.collector.ingester.rows.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops rows whose exact content (every stored column, ids included) is in their partition's
 * {@link OffsetWindow}: the second copy of a span that a client sent again after an ambiguous failure
 * (docs/adr/009). One window per partition; a partition's batches are converted one after another,
 * each through a {@link Session}. A window continues from the batch before, or is rebuilt from Kafka
 * when the batch does not start where it ended (first batch after an assignment, a batch formed again).
 */
public final class RowDeduplicator {
  private static final Logger log = LoggerFactory.getLogger(RowDeduplicator.class);

  private final DedupConfig config;
  private final WindowSource source;
  private final LongConsumer dropped;
  private final Map<TopicPartition, OffsetWindow> windows = new ConcurrentHashMap<>();

  /** @param dropped told how many rows each batch dropped (when any) */
  public RowDeduplicator(DedupConfig config, WindowSource source, LongConsumer dropped) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("de-duplication is off (COLLECTOR_DEDUP_WINDOW_RECORDS=0): use no deduplicator");
    }
    this.config = config;
    this.source = source;
    this.dropped = dropped;
  }

  /** Starts the conversion of the records {@code [firstOffset, ...]} of {@code tp}; rebuilds the window if needed (blocking). */
  public Session open(TopicPartition tp, long firstOffset, RecordConverter converter) {
    OffsetWindow w = windows.get(tp);
    if (w == null || w.nextOffset() != firstOffset) {
      long started = System.nanoTime();
      w = rebuild(tp, firstOffset, converter);
      windows.put(tp, w);
      log.info("{}: de-duplication window rebuilt from offsets {}-{} ({} rows) in {} ms", tp, Math.max(0, firstOffset - config.records()),
          firstOffset - 1, w.rows(), (System.nanoTime() - started) / 1_000_000);
    }
    return new Session(tp, w);
  }

  private OffsetWindow rebuild(TopicPartition tp, long firstOffset, RecordConverter converter) {
    OffsetWindow w = new OffsetWindow(config.records(), config.maxRows());
    long from = Math.max(0, firstOffset - config.records());
    if (from < firstOffset) {
      Session s = new Session(tp, w);
      source.read(tp, from, firstOffset, (offset, value, replay) -> {
        if (value != null && !replay) { // as in the batch: replayed rows never enter the window
          RowBatch scratch = new RowBatch(1 << 12);
          scratch.filter((table, row, off, len) -> {
            s.keep(table, row, off, len);
            return false; // only the hashes are wanted
          });
          s.begin(offset);
          boolean ok = false;
          try {
            converter.convert(value, scratch);
            ok = true;
          } catch (Exception e) {
            // as in the batch: a record that cannot be decoded adds nothing to the window
          } finally {
            s.end(ok);
          }
        }
      });
    }
    w.readUpTo(firstOffset);
    return w;
  }

  /** The content hash of one stored row of {@code table}: what the window holds. */
  public static long hash(Table table, byte[] row, int off, int len) {
    return RowHash.xxh64(row, off, len, table.ordinal());
  }

  /** The rows of one batch, record by record: the filter of its {@link RowBatch}. */
  public final class Session implements RowFilter {
    private final TopicPartition tp;
    private final OffsetWindow window;
    private long droppedRows;
    private long currentOffset = -1;
    /** The content hashes of the rows dropped, by record offset: isolating refused rows must skip them too. */
    private final Map<Long, List<Long>> droppedByOffset = new HashMap<>();

    Session(TopicPartition tp, OffsetWindow window) {
      this.tp = tp;
      this.window = window;
    }

    /** The record at {@code offset} is converted next. */
    public void begin(long offset) {
      currentOffset = offset;
      window.begin(offset);
    }

    /** The record was converted ({@code ok}) or could not be (its rows are gone, the window forgets them). */
    public void end(boolean ok) {
      if (ok) {
        window.commit();
      } else {
        window.rollback();
      }
    }

    @Override
    public boolean keep(Table table, byte[] row, int off, int len) {
      long hash = hash(table, row, off, len);
      if (!window.seen(hash)) {
        return true;
      }
      droppedRows++;
      droppedByOffset.computeIfAbsent(currentOffset, o -> new ArrayList<>()).add(hash);
      return false;
    }

    /** A fresh copy of the content hashes of the rows this batch dropped, by record offset. */
    public Map<Long, List<Long>> droppedHashes() {
      Map<Long, List<Long>> copy = new HashMap<>();
      droppedByOffset.forEach((offset, hashes) -> copy.put(offset, new ArrayList<>(hashes)));
      return copy;
    }

    /** The batch is converted; its last offset is {@code lastOffset}. Returns the rows it dropped. */
    public long close(long lastOffset) {
      window.readUpTo(lastOffset + 1);
      if (droppedRows > 0) {
        log.debug("{}: dropped {} rows already in the de-duplication window (offsets up to {})", tp, droppedRows, lastOffset);
        dropped.accept(droppedRows);
      }
      return droppedRows;
    }
  }
}
