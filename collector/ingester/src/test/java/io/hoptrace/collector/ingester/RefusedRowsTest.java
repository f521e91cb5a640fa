package io.hoptrace.collector.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.ServerException;
import io.hoptrace.collector.ingester.rows.RowBinary;
import java.io.InputStream;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** The bisection against a table that refuses some rows, as ClickHouse does: a refused insert stores nothing. */
class RefusedRowsTest {
  private static final InsertError REFUSED = InsertError.classify(new ServerException(469, "Code: 469. violated", 500, "q"));

  /** Rows are one byte each (their value); a row's record is value / rowsPerRecord. */
  private static List<RefusedRows.Row> rows(int count, int rowsPerRecord) {
    List<RefusedRows.Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(new RefusedRows.Row(i / rowsPerRecord, new byte[] {(byte) i}));
    }
    return rows;
  }

  /** A table refusing every insert that holds a row {@code refuses} says yes to. */
  private static final class Table implements RefusedRows.Insert {
    final IntPredicate refuses;
    final List<Integer> stored = new ArrayList<>();
    final List<String> tokens = new ArrayList<>();

    Table(IntPredicate refuses) {
      this.refuses = refuses;
    }

    @Override
    public void insert(RowBinary rows, String suffix) throws Exception {
      byte[] bytes;
      try (InputStream in = rows.stream()) {
        bytes = in.readAllBytes();
      }
      assertThat(bytes).hasSize(rows.rows());
      for (byte b : bytes) {
        if (refuses.test(b & 0xff)) {
          throw new ServerException(469, "Code: 469. Constraint violated by row " + (b & 0xff), 500, "q");
        }
      }
      tokens.add(suffix);
      for (byte b : bytes) {
        stored.add(b & 0xff);
      }
    }
  }

  @Test
  void oneRefusedRowAmongManyIsIsolatedAndEveryOtherRowStoredOnce() throws Exception {
    Table t = new Table(v -> v == 77);
    RefusedRows.Outcome o = RefusedRows.isolate("otel.t", rows(200, 10), REFUSED, t);

    assertThat(o.refused()).containsOnlyKeys(7);
    assertThat(o.refused().get(7).rows()).isEqualTo(1);
    assertThat(o.refused().get(7).error().message()).contains("row 77");
    assertThat(new HashSet<>(t.stored)).hasSize(199).doesNotContain(77);
    assertThat(t.stored).hasSize(199); // none twice
    assertThat(o.storedRows()).isEqualTo(199);
    assertThat(o.inserts()).isLessThanOrEqualTo(2 * 8); // log2(200) levels, at most two inserts each
    assertThat(new HashSet<>(t.tokens)).hasSize(t.tokens.size());
  }

  @Test
  void refusedRowsAreCountedByTheirRecord() throws Exception {
    Table t = new Table(v -> v == 3 || v == 5 || v == 40 || v == 199);
    RefusedRows.Outcome o = RefusedRows.isolate("otel.t", rows(200, 10), REFUSED, t);

    assertThat(o.refused()).containsOnlyKeys(0, 4, 19);
    assertThat(o.refused().get(0).rows()).isEqualTo(2);
    assertThat(o.refused().get(4).rows()).isEqualTo(1);
    assertThat(t.stored).hasSize(196).doesNotContain(3, 5, 40, 199);
  }

  @Test
  void theSameRowsAreSplitTheSameWaySoARepeatHasTheSameTokens() throws Exception {
    Table first = new Table(v -> v % 37 == 1);
    Table again = new Table(v -> v % 37 == 1);
    RefusedRows.isolate("otel.t", rows(150, 3), REFUSED, first);
    RefusedRows.isolate("otel.t", rows(150, 3), REFUSED, again);
    assertThat(again.tokens).isEqualTo(first.tokens);
  }

  @Test
  void aTableThatRefusesEverythingCostsBoundedInsertsAndStoresNothing() throws Exception {
    Table t = new Table(v -> true);
    RefusedRows.Outcome o = RefusedRows.isolate("otel.t", rows(250, 1), REFUSED, t);
    assertThat(o.inserts()).isLessThanOrEqualTo(RefusedRows.MAX_INSERTS);
    assertThat(o.refused()).hasSize(250);
    assertThat(o.refused().values().stream().mapToInt(RefusedRows.Refusal::rows).sum()).isEqualTo(250);
    assertThat(t.stored).isEmpty();
  }

  @Test
  void aFailureThatIsNotAboutTheRowsFailsTheWholeWrite() {
    RefusedRows.Insert down = (rows, suffix) -> {
      throw new ConnectException("Connection refused");
    };
    assertThatThrownBy(() -> RefusedRows.isolate("otel.t", rows(20, 1), REFUSED, down))
        .isInstanceOf(InsertFailedException.class)
        .satisfies(e -> assertThat(((InsertFailedException) e).error().kind()).isEqualTo(InsertError.Kind.TRANSIENT));
  }

  @Test
  void rowBinaryKeepsRowBoundariesWhenAskedTo() {
    RowBinary rb = new RowBinary(16);
    rb.trackRows();
    rb.string("ab");
    rb.endRow();
    rb.int32(7);
    rb.uint8(1);
    rb.endRow();
    assertThat(rb.row(0)).containsExactly(2, 'a', 'b');
    assertThat(rb.row(1)).containsExactly(7, 0, 0, 0, 1);
    assertThat(rb.rows()).isEqualTo(2);
  }
}
