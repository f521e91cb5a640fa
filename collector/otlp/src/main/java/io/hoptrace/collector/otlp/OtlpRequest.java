package io.hoptrace.collector.otlp;

/**
 * A validated export request in its protobuf encoding (the bytes that go to Kafka) and how many
 * items (spans, data points, log records) it holds.
 */
public record OtlpRequest(Signal signal, byte[] protobuf, int items) {}
