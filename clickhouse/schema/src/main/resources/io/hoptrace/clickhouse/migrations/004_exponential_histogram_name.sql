-- The exponential histogram table takes the name the OpenTelemetry Collector's ClickHouse exporter
-- uses (and every tool that reads its schema): otel_metrics_exponential_histogram. 003 created it as
-- otel_metrics_exp_histogram; a rename keeps every row (Atomic database: no data is copied).
RENAME TABLE ${database}.otel_metrics_exp_histogram TO ${database}.otel_metrics_exponential_histogram;
