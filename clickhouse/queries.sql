-- Queries over the otel schema (see src/main/resources/io/hoptrace/clickhouse/migrations).
-- Each query starts at a "-- name:" line and runs until the next one. Parameters use ClickHouse
-- query-parameter syntax and are passed over HTTP as param_<name>=<value>, e.g.
--   curl 'http://127.0.0.1:8123/?param_trace_id=0af7651916cd43dd8448eb211c80319c' --data-binary @query.sql
-- Time parameters ({from}, {to}) are DateTime64(9) in the server time zone, e.g. '2026-10-01 12:00:00'.

-- name: trace-by-id
-- All spans of one trace, the otel_traces_trace_id_ts lookup narrows the scan to the trace's time window (as Grafana's ClickHouse plugin does).
WITH
    {trace_id:String} AS trace_id,
    (SELECT min(Start) FROM otel.otel_traces_trace_id_ts WHERE TraceId = trace_id) AS trace_start,
    (SELECT max(End) + 1 FROM otel.otel_traces_trace_id_ts WHERE TraceId = trace_id) AS trace_end
SELECT
    Timestamp,
    TraceId,
    SpanId,
    ParentSpanId,
    SpanName,
    SpanKind,
    ServiceName,
    Duration / 1e6 AS duration_ms,
    StatusCode,
    StatusMessage,
    SpanAttributes,
    ResourceAttributes,
    Events.Timestamp,
    Events.Name,
    Events.Attributes,
    Links.TraceId,
    Links.SpanId
FROM otel.otel_traces
WHERE TraceId = trace_id
  AND Timestamp >= trace_start
  AND Timestamp <= trace_end
ORDER BY Timestamp
LIMIT 10000;

-- name: slowest-spans
-- The {limit} slowest spans that started in [{from}, {to}).
SELECT
    Timestamp,
    ServiceName,
    SpanName,
    SpanKind,
    Duration / 1e6 AS duration_ms,
    StatusCode,
    TraceId,
    SpanId
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)}
  AND Timestamp < {to:DateTime64(9)}
ORDER BY Duration DESC
LIMIT {limit:UInt32};

-- name: error-rate-per-service
-- Span count, error count and error rate (StatusCode = 'Error') per service for spans started in [{from}, {to}).
SELECT
    ServiceName,
    count() AS spans,
    countIf(StatusCode = 'Error') AS errors,
    round(errors / spans, 4) AS error_rate
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)}
  AND Timestamp < {to:DateTime64(9)}
GROUP BY ServiceName
ORDER BY error_rate DESC, spans DESC;

-- name: logs-of-trace
-- Log records of one trace, read within the trace's time window (from otel_traces_trace_id_ts) widened by 5 minutes each side.
WITH
    {trace_id:String} AS trace_id,
    (SELECT min(Start) FROM otel.otel_traces_trace_id_ts WHERE TraceId = trace_id) - INTERVAL 5 MINUTE AS window_start,
    (SELECT max(End) FROM otel.otel_traces_trace_id_ts WHERE TraceId = trace_id) + INTERVAL 5 MINUTE AS window_end
SELECT
    Timestamp,
    ServiceName,
    SeverityText,
    SeverityNumber,
    SpanId,
    Body,
    LogAttributes,
    ResourceAttributes
FROM otel.otel_logs
WHERE TraceId = trace_id
  AND toStartOfFiveMinutes(Timestamp) >= toStartOfFiveMinutes(window_start)
  AND Timestamp >= window_start
  AND Timestamp <= window_end
ORDER BY Timestamp
LIMIT 10000;

-- name: kafka-hop-latency
-- Producer 'X publish' span to consumer 'X process' span (same trace, consumer's ParentSpanId = producer's SpanId): start-to-start latency per messaging.destination.name, for producers started in [{from}, {to}).
SELECT
    topic,
    count() AS hops,
    round(quantile(0.5)(latency_ms), 3) AS p50_ms,
    round(quantile(0.95)(latency_ms), 3) AS p95_ms,
    round(max(latency_ms), 3) AS max_ms
FROM
(
    SELECT
        p.topic AS topic,
        (toUnixTimestamp64Nano(c.Timestamp) - toUnixTimestamp64Nano(p.Timestamp)) / 1e6 AS latency_ms
    FROM
    (
        SELECT
            TraceId,
            SpanId,
            Timestamp,
            substring(SpanName, 1, length(SpanName) - length(' publish')) AS destination,
            SpanAttributes['messaging.destination.name'] AS topic
        FROM otel.otel_traces
        WHERE Timestamp >= {from:DateTime64(9)}
          AND Timestamp < {to:DateTime64(9)}
          AND endsWith(SpanName, ' publish')
    ) AS p
    INNER JOIN
    (
        SELECT
            TraceId,
            ParentSpanId,
            Timestamp,
            substring(SpanName, 1, length(SpanName) - length(' process')) AS destination
        FROM otel.otel_traces
        WHERE Timestamp >= {from:DateTime64(9)}
          AND Timestamp < {to:DateTime64(9)} + INTERVAL 1 HOUR
          AND endsWith(SpanName, ' process')
          AND ParentSpanId != ''
    ) AS c
    ON c.TraceId = p.TraceId AND c.ParentSpanId = p.SpanId AND c.destination = p.destination
)
GROUP BY topic
ORDER BY p95_ms DESC;

-- name: throughput-per-service-per-minute
-- Spans and error spans per service per minute for spans started in [{from}, {to}).
SELECT
    toStartOfMinute(Timestamp) AS minute,
    ServiceName,
    count() AS spans,
    countIf(StatusCode = 'Error') AS errors
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)}
  AND Timestamp < {to:DateTime64(9)}
GROUP BY minute, ServiceName
ORDER BY minute, ServiceName;

-- name: trace-span-tree
-- The span tree of one trace in depth-first order (siblings by start time), indented by depth, spans whose parent is missing are roots.
WITH RECURSIVE
    {trace_id:String} AS trace_id,
    (SELECT min(Start) FROM otel.otel_traces_trace_id_ts WHERE TraceId = trace_id) AS trace_start,
    (SELECT max(End) + 1 FROM otel.otel_traces_trace_id_ts WHERE TraceId = trace_id) AS trace_end,
    spans AS
    (
        SELECT SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, Timestamp, Duration, StatusCode
        FROM otel.otel_traces
        WHERE TraceId = trace_id
          AND Timestamp >= trace_start
          AND Timestamp <= trace_end
    ),
    tree AS
    (
        SELECT SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, Timestamp, Duration, StatusCode,
               toUInt32(0) AS depth, [(Timestamp, SpanId)] AS path
        FROM spans
        WHERE ParentSpanId = '' OR ParentSpanId NOT IN (SELECT SpanId FROM spans)
        UNION ALL
        SELECT s.SpanId, s.ParentSpanId, s.SpanName, s.SpanKind, s.ServiceName, s.Timestamp, s.Duration, s.StatusCode,
               t.depth + 1 AS depth, arrayPushBack(t.path, (s.Timestamp, s.SpanId)) AS path
        FROM spans AS s
        INNER JOIN tree AS t ON s.ParentSpanId = t.SpanId
        WHERE t.depth < 1000
    )
SELECT
    concat(repeat('  ', depth), ServiceName, ': ', SpanName) AS span,
    depth,
    SpanKind,
    Timestamp,
    Duration / 1e6 AS duration_ms,
    StatusCode,
    SpanId,
    ParentSpanId
FROM tree
ORDER BY path;
