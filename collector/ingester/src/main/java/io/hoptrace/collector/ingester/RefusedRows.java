package io.hoptrace.collector.ingester;

import io.hoptrace.collector.ingester.rows.RowBinary;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Isolates the rows ClickHouse refuses from an insert it refused as a whole ({@link InsertError.Kind#PERMANENT}):
 * splits the rows in halves, inserts each, and recurses into a half that is refused again, down to
 * single rows. Everything else gets written; the refused rows are reported by the record they came
 * from, for the dead-letter topic.
 *
 * <p>Deterministic: the same rows split the same way and each sub-insert carries the token
 * {@code <stem>/rows/<from>-<to>}, so a batch re-formed after a crash repeats exactly these inserts
 * and ClickHouse drops the ones it already has (docs/adr/004). A half whose insert fails for another
 * reason than its data (transient, systemic) fails the whole write, which is retried as usual.
 *
 * <p>Bounded: after {@value #MAX_INSERTS} inserts the ranges still in doubt are refused whole (a batch
 * full of bad rows would otherwise cost two inserts per row).
 */
public final class RefusedRows {
  static final int MAX_INSERTS = 256;

  /** One row (RowBinary bytes) and the index of the record it came from. */
  public record Row(int source, byte[] bytes) {}

  /** Inserts some of the rows with a token made of the part's token and {@code suffix}. */
  @FunctionalInterface
  public interface Insert {
    void insert(RowBinary rows, String suffix) throws Exception;
  }

  /** A record's refused rows and the error of the last refusal. */
  public record Refusal(int rows, InsertError error) {}

  /**
   * What the isolation amounted to.
   *
   * @param refused by record index, in order
   * @param storedRows rows written
   * @param inserts inserts attempted
   */
  public record Outcome(Map<Integer, Refusal> refused, int storedRows, int inserts) {}

  private final String table;
  private final List<Row> rows;
  private final Insert insert;
  private final Map<Integer, Refusal> refused = new TreeMap<>();
  private int stored;
  private int inserts;

  private RefusedRows(String table, List<Row> rows, Insert insert) {
    this.table = table;
    this.rows = rows;
    this.insert = insert;
  }

  /**
   * @param rows the rows of an insert that was refused with {@code refusal} (a permanent error)
   * @throws InsertFailedException when a part fails for another reason than its data
   */
  public static Outcome isolate(String table, List<Row> rows, InsertError refusal, Insert insert) throws InsertFailedException {
    RefusedRows r = new RefusedRows(table, rows, insert);
    if (!rows.isEmpty()) {
      r.refusedRange(0, rows.size(), refusal);
    }
    return new Outcome(Map.copyOf(r.refused), r.stored, r.inserts);
  }

  /** [from, to) was refused as a whole with {@code error}: find out which rows. */
  private void refusedRange(int from, int to, InsertError error) throws InsertFailedException {
    if (to - from == 1 || inserts >= MAX_INSERTS) {
      for (int i = from; i < to; i++) {
        refused.merge(rows.get(i).source(), new Refusal(1, error), (a, b) -> new Refusal(a.rows() + b.rows(), b.error()));
      }
      return;
    }
    int mid = (from + to) >>> 1;
    InsertError left = tryInsert(from, mid);
    if (left == null) {
      refusedRange(mid, to, error); // the refused rows are all in the right half: no need to try it whole
      return;
    }
    refusedRange(from, mid, left);
    InsertError right = tryInsert(mid, to);
    if (right != null) {
      refusedRange(mid, to, right);
    }
  }

  /** null when written; the permanent error when refused. */
  private InsertError tryInsert(int from, int to) throws InsertFailedException {
    if (inserts >= MAX_INSERTS) {
      return new InsertError(InsertError.Kind.PERMANENT, 0, "", "not isolated: more than " + MAX_INSERTS + " inserts needed");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      bytes.writeBytes(rows.get(i).bytes());
    }
    inserts++;
    try {
      insert.insert(RowBinary.of(bytes.toByteArray(), to - from), "/rows/" + from + "-" + to);
      stored += to - from;
      return null;
    } catch (Exception e) {
      InsertError error = InsertError.classify(e);
      if (error.kind() != InsertError.Kind.PERMANENT) {
        throw new InsertFailedException(table, error, e);
      }
      return error;
    }
  }
}
