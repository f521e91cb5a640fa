-- What a least-privilege writer (deploy/clickhouse/users.d/hoptrace.xml: INSERT on the tables, no
-- SELECT) needs to ingest. SQL SECURITY DEFINER: a view reads with the rights of the user that ran
-- this migration, not with the rights of the user whose insert or query runs it.

-- The trace-id lookup view reads the spans being inserted: as its definer, so an insert into
-- otel_traces needs no SELECT on it.
ALTER TABLE ${database}.otel_traces_trace_id_ts_mv MODIFY SQL SECURITY DEFINER;

-- What the ingester may read of stored telemetry, and nothing more: the identity of each row (the
-- tuple the ingester's Table enum names) and its time. A replay inserts only rows whose identity is
-- not stored yet; with these views the writer can do that without being able to read a span, a log
-- line or a metric.

CREATE VIEW IF NOT EXISTS ${database}._hoptrace_identity_otel_traces SQL SECURITY DEFINER AS
SELECT (TraceId, SpanId) AS id, Timestamp AS time FROM ${database}.otel_traces;

CREATE VIEW IF NOT EXISTS ${database}._hoptrace_identity_otel_logs SQL SECURITY DEFINER AS
SELECT (Timestamp, ServiceName, TraceId, SpanId, SeverityNumber, cityHash64(Body, LogAttributes, ResourceAttributes, ScopeName, EventName)) AS id,
    Timestamp AS time FROM ${database}.otel_logs;

CREATE VIEW IF NOT EXISTS ${database}._hoptrace_identity_otel_metrics_gauge SQL SECURITY DEFINER AS
SELECT (ServiceName, MetricName, TimeUnix, StartTimeUnix, cityHash64(Attributes, ResourceAttributes, ScopeName), Value) AS id,
    TimeUnix AS time FROM ${database}.otel_metrics_gauge;

CREATE VIEW IF NOT EXISTS ${database}._hoptrace_identity_otel_metrics_sum SQL SECURITY DEFINER AS
SELECT (ServiceName, MetricName, TimeUnix, StartTimeUnix, cityHash64(Attributes, ResourceAttributes, ScopeName), Value) AS id,
    TimeUnix AS time FROM ${database}.otel_metrics_sum;

CREATE VIEW IF NOT EXISTS ${database}._hoptrace_identity_otel_metrics_histogram SQL SECURITY DEFINER AS
SELECT (ServiceName, MetricName, TimeUnix, StartTimeUnix, cityHash64(Attributes, ResourceAttributes, ScopeName), Count, Sum, BucketCounts) AS id,
    TimeUnix AS time FROM ${database}.otel_metrics_histogram;

CREATE VIEW IF NOT EXISTS ${database}._hoptrace_identity_otel_metrics_exponential_histogram SQL SECURITY DEFINER AS
SELECT (ServiceName, MetricName, TimeUnix, StartTimeUnix, cityHash64(Attributes, ResourceAttributes, ScopeName), Count, Sum, Scale, PositiveBucketCounts, NegativeBucketCounts) AS id,
    TimeUnix AS time FROM ${database}.otel_metrics_exponential_histogram;

CREATE VIEW IF NOT EXISTS ${database}._hoptrace_identity_otel_metrics_summary SQL SECURITY DEFINER AS
SELECT (ServiceName, MetricName, TimeUnix, StartTimeUnix, cityHash64(Attributes, ResourceAttributes, ScopeName), Count, Sum, ValueAtQuantiles.Value) AS id,
    TimeUnix AS time FROM ${database}.otel_metrics_summary;
