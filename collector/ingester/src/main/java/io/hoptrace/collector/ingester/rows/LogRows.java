package io.hoptrace.collector.ingester.rows;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

/** {@code ExportLogsServiceRequest} → {@code otel_logs} rows, like the clickhouseexporter. */
public final class LogRows implements RecordConverter {

  @Override
  public int convert(byte[] otlp, int offset, int length, RowBatch out) throws InvalidProtocolBufferException {
    ExportLogsServiceRequest req = ExportLogsServiceRequest.parser().parseFrom(otlp, offset, length);
    int n = 0;
    for (ResourceLogs rl : req.getResourceLogsList()) {
      byte[] resourceAttributes = AttributeStrings.encodeMap(rl.getResource().getAttributesList());
      String serviceName = AttributeStrings.serviceName(rl.getResource().getAttributesList());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        byte[] scopeAttributes = AttributeStrings.encodeMap(sl.getScope().getAttributesList());
        for (LogRecord r : sl.getLogRecordsList()) {
          // the exporter falls back to the observed time when the event time is unset
          long ts = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
          RowBinary rb = out.rows(Table.LOGS, ts);
          rb.dateTime64Nanos(ts);
          rb.hexId(r.getTraceId());
          rb.hexId(r.getSpanId());
          rb.uint8(r.getFlags() & 0xFF);
          rb.string(r.getSeverityTextBytes());
          rb.uint8(Math.max(0, Math.min(255, r.getSeverityNumberValue())));
          rb.string(serviceName);
          AnyValue body = r.getBody();
          AttributeStrings.writeValue(rb, body);
          rb.string(rl.getSchemaUrlBytes());
          rb.raw(resourceAttributes);
          rb.string(sl.getSchemaUrlBytes());
          rb.string(sl.getScope().getNameBytes());
          rb.string(sl.getScope().getVersionBytes());
          rb.raw(scopeAttributes);
          AttributeStrings.writeMap(rb, r.getAttributesList());
          rb.string(r.getEventNameBytes());
          rb.endRow();
          n++;
        }
      }
    }
    return n;
  }
}
