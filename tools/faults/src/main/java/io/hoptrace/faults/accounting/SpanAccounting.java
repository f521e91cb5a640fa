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
 * stored, no span is stored twice, and nothing is stored that was never sent.
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
    Set<Long> sent = ledger.sent();
    Set<Long> acked = ledger.acknowledged();
    long lost = acked.stream().filter(id -> !stored.contains(id)).count();
    long phantom = stored.stream().filter(id -> !sent.contains(id)).count();
    long storedUnacked = stored.stream().filter(id -> !acked.contains(id)).count() - phantom;

    result.figure("requests sent", ledger.requests());
    for (Map.Entry<String, Long> a : ledger.requestsByAnswer().entrySet()) {
      result.figure("  answered " + a.getKey(), a.getValue());
    }
    result.figure("spans sent", sent.size());
    result.figure("spans acknowledged", acked.size());
    result.figure("spans stored (distinct)", stored.size());
    result.figure("rows stored", rows);
    result.figure("duplicated", rows - distinct);
    result.figure("lost (acknowledged, not stored)", lost);
    result.figure("stored though not acknowledged", storedUnacked);
    result.check("every acknowledged span stored", lost == 0, lost + " of " + acked.size() + " missing");
    result.check("no span stored twice", rows == distinct && distinct == stored.size(), rows + " rows, " + distinct + " distinct (TraceId, SpanId)");
    result.check("nothing stored that was not sent", phantom == 0, phantom + " unknown span ids");
  }
}
