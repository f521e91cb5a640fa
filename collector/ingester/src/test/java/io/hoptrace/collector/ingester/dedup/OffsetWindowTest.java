package io.hoptrace.collector.ingester.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OffsetWindowTest {

  @Test
  void aRowSeenWithinTheLastRecordsIsADuplicateAndOnlyThen() {
    OffsetWindow w = new OffsetWindow(3, 100);
    assertThat(record(w, 10, 1, 2)).containsExactly(false, false);
    assertThat(record(w, 11, 3)).containsExactly(false);
    assertThat(record(w, 13, 1)).as("offset 10 is 3 back from 13").containsExactly(true);
    assertThat(record(w, 14, 2)).as("offset 10 is 4 back from 14: out of the window").containsExactly(false);
    assertThat(record(w, 15, 1)).as("1 was seen again at 13, which is in the window").containsExactly(true);
  }

  @Test
  void twiceInOneRecordIsADuplicate() {
    OffsetWindow w = new OffsetWindow(10, 100);
    assertThat(record(w, 0, 5, 5, 6)).containsExactly(false, true, false);
  }

  @Test
  void aRolledBackRecordLeavesTheWindowAsBefore() {
    OffsetWindow w = new OffsetWindow(10, 100);
    record(w, 0, 1);
    w.begin(1);
    assertThat(w.seen(1)).isTrue();
    assertThat(w.seen(2)).isFalse();
    w.rollback();
    assertThat(w.nextOffset()).isEqualTo(2);
    assertThat(record(w, 2, 2)).as("2 came from a record that was dead-lettered").containsExactly(false);
    assertThat(w.rows()).isEqualTo(2);
    // 1 keeps its offset 0 (the rolled-back record's 1 is forgotten): gone from the window at offset 11
    assertThat(record(w, 11, 1)).containsExactly(false);
  }

  @Test
  void holdsAtMostMaxRowsTheNewest() {
    OffsetWindow w = new OffsetWindow(1000, 3);
    for (int i = 1; i <= 5; i++) {
      record(w, i, i);
    }
    assertThat(w.rows()).isEqualTo(3);
    assertThat(record(w, 6, 3)).containsExactly(true);
    assertThat(record(w, 7, 2)).as("2 was pushed out by the row limit").containsExactly(false);
  }

  /** The property the design rests on (ADR 004's determinism): a window rebuilt from N offsets back decides like the live one. */
  @Test
  void aWindowRebuiltFromTheRecordsBeforeABatchDecidesExactlyLikeTheLiveOne() {
    Random rnd = new Random(42);
    int records = 50;
    int maxRows = 120;
    List<long[]> log = new ArrayList<>();
    for (int o = 0; o < 2000; o++) {
      long[] rows = new long[rnd.nextInt(6)];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = 1 + rnd.nextInt(400); // many repeats, near and far apart
      }
      log.add(rows);
    }
    OffsetWindow live = new OffsetWindow(records, maxRows);
    Map<Integer, List<Boolean>> liveDecisions = new HashMap<>();
    for (int o = 0; o < log.size(); o++) {
      liveDecisions.put(o, record(live, o, log.get(o)));
    }
    int duplicates = 0;
    for (int start = 0; start < log.size(); start += 97) {
      OffsetWindow rebuilt = new OffsetWindow(records, maxRows);
      for (int o = Math.max(0, start - records); o < start; o++) {
        record(rebuilt, o, log.get(o));
      }
      for (int o = start; o < Math.min(log.size(), start + 200); o++) {
        List<Boolean> d = record(rebuilt, o, log.get(o));
        assertThat(d).as("record %d after a rebuild at %d", o, start).isEqualTo(liveDecisions.get(o));
        duplicates += (int) d.stream().filter(x -> x).count();
      }
    }
    assertThat(duplicates).as("the test exercises duplicates").isGreaterThan(100);
  }

  @Test
  void mapAgreesWithAHashMapUnderPutsAndRemoves() {
    Random rnd = new Random(7);
    LongLongMap m = new LongLongMap(4);
    Map<Long, Long> ref = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      long k = 1 + rnd.nextInt(5000);
      if (rnd.nextInt(3) == 0) {
        m.remove(k);
        ref.remove(k);
      } else {
        m.put(k, i);
        ref.put(k, (long) i);
      }
      long probe = 1 + rnd.nextInt(5000);
      assertThat(m.get(probe)).isEqualTo(ref.getOrDefault(probe, LongLongMap.MISSING));
    }
    assertThat(m.size()).isEqualTo(ref.size());
  }

  @Test
  void xxh64MatchesTheReferenceVectors() {
    assertThat(RowHash.xxh64(new byte[0], 0, 0, 0)).isEqualTo(0xEF46DB3751D8E999L);
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertThat(RowHash.xxh64(abc, 0, 3, 0)).isEqualTo(0x44BC2CF5AD770999L);
    byte[] longer = "Nobody inspects the spammish repetition".getBytes(StandardCharsets.US_ASCII);
    assertThat(RowHash.xxh64(longer, 0, longer.length, 0)).isEqualTo(0xFBCEA83C8A378BF1L);
    assertThat(RowHash.xxh64(longer, 0, longer.length, 1)).isNotEqualTo(RowHash.xxh64(longer, 0, longer.length, 0));
  }

  private static List<Boolean> record(OffsetWindow w, long offset, long... hashes) {
    w.begin(offset);
    List<Boolean> seen = new ArrayList<>();
    for (long h : hashes) {
      seen.add(w.seen(h));
    }
    w.commit();
    return seen;
  }
}
