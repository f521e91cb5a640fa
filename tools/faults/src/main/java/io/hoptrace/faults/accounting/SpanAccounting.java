package io.hoptrace.faults.accounting;

import io.hoptrace.faults.ScenarioResult;
import io.hoptrace.faults.probe.ClickHouseQuery;
import io.hoptrace.faults.probe.KafkaOffsets;
import io.hoptrace.kafka.Topics;
import io.hoptrace.launcher.Stack;
import io.hoptrace.load.otlp.SpanLedger;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The telemetry accounting: what the load generator sent and got acknowledged, against what is in
 * ClickHouse once the ingester has committed everything in Kafka. Exact when every acknowledged span is
 * stored, no span is stored twice, nothing is stored that was never sent ({@link SpanBalance}), and a
 * sample of the stored spans holds what was sent ({@link StoredContent}).
 */
public final class SpanAccounting {
  public static final String TRACES_GROUP = "hoptrace-ingester-traces";

  private SpanAccounting() {}

  public static void account(Stack stack, SpanLedger ledger, String serviceName, Duration ingestTimeout, ScenarioResult result) {
    KafkaOffsets.awaitCommitted(stack.kafka().bootstrapServers(), TRACES_GROUP, Topics.OTLP_SPANS, ingestTimeout);
    ClickHouseQuery ch = new ClickHouseQuery(stack.clickHouse().settings());
    String where = " FROM otel_traces WHERE ServiceName = " + ClickHouseQuery.quote(serviceName);
    long rows = ch.count("SELECT count()" + where);
    long distinct = ch.count("SELECT uniqExact(TraceId, SpanId)" + where);
    Set<Long> stored = new HashSet<>();
    for (String hex : ch.lines("SELECT DISTINCT SpanId" + where)) {
      stored.add(Long.parseUnsignedLong(hex.trim(), 16));
    }
    SpanBalance b = SpanBalance.of(ledger.sent(), ledger.acknowledged(), stored, rows, distinct);

    result.figure("requests sent", ledger.requests());
    if (ledger.attempts() > ledger.requests()) {
      result.figure("  attempts (first ones and retries)", ledger.attempts());
      for (Map.Entry<String, Long> a : ledger.attemptsByAnswer().entrySet()) {
        result.figure("    attempts answered " + a.getKey(), a.getValue());
      }
      result.figure("  acknowledged only after a retry", ledger.acknowledgedAfterRetry());
    }
    for (Map.Entry<String, Long> a : ledger.requestsByAnswer().entrySet()) {
      result.figure("  answered " + a.getKey(), a.getValue());
    }
    result.figure("spans sent", b.sent());
    result.figure("spans acknowledged", b.acknowledged());
    result.figure("spans stored (distinct)", b.stored());
    result.figure("rows stored", rows);
    result.figure("duplicated", b.duplicated());
    result.figure("lost (acknowledged, not stored)", b.lost());
    result.figure("stored though not acknowledged", b.storedUnacknowledged());
    result.check("every acknowledged span stored", b.nothingLost(), b.lost() + " of " + b.acknowledged() + " missing");
    result.check("no span stored twice", b.nothingTwice(), rows + " rows, " + distinct + " distinct (TraceId, SpanId), " + b.stored() + " span ids");
    result.check("nothing stored that was not sent", b.nothingInvented(), b.phantom() + " unknown span ids");
    StoredContent.check(ch, serviceName, ledger.samples(), result);
  }
}
