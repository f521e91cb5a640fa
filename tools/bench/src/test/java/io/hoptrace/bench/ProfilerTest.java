package io.hoptrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilerTest {
  /**
   * Every handler runs inside HttpTelemetry.handle -> ctx.next(): a sample belongs to the innermost
   * owner, so the service's JSON work under that frame is the service's, a span started under the
   * service's code is telemetry's.
   */
  @Test
  void aServiceSampleBelongsToItsInnermostKnownFrame(@TempDir Path dir) throws Exception {
    Path collapsed = dir.resolve("order.collapsed");
    Files.writeString(collapsed, String.join("\n",
        "[vert.x-eventloop-thread-0 tid=1];io/netty/Loop.run;io/hoptrace/telemetry/http/HttpTelemetry.handle;"
            + "io/hoptrace/order/http/OrderHttpVerticle.listProducts;io/vertx/core/json/Json.encode 6",
        "[vert.x-eventloop-thread-0 tid=1];io/netty/Loop.run;io/hoptrace/order/http/OrderHttpVerticle.listProducts;"
            + "io/vertx/tracing/opentelemetry/OpenTelemetryTracer.sendRequest;io/opentelemetry/sdk/trace/SdkSpanBuilder.startSpan;java/lang/Object.<init> 3",
        "[vert.x-eventloop-thread-1 tid=2];io/netty/Loop.run;io/netty/Channel.write 5",
        "[BatchSpanProcessor_WorkerThread-1 tid=3];io/opentelemetry/Exporter.export 2",
        "[C2 CompilerThread0 tid=4];Compile 4",
        "") + "\n");
    Profiler.Summary s = Profiler.summariseService(collapsed);
    assertThat(s.samples()).isEqualTo(20);
    assertThat(s.percentByCategory())
        .containsEntry("event loops and workers: the service (handlers, JSON, logging)", 30.0)
        .containsEntry("event loops and workers: telemetry (tracer, spans, metrics, log appender)", 15.0)
        .containsEntry("event loops and workers: Vert.x, Netty, JDK", 25.0)
        .containsEntry("telemetry threads (batch processors, OTLP client, metric reader)", 10.0)
        .containsEntry("JIT compiler threads", 20.0);
    assertThat(s.topSelfFrames()).containsExactly(" 15.0 %  io/opentelemetry/sdk/trace/SdkSpanBuilder.startSpan");
  }

  @Test
  void aCollectorSampleBelongsToItsThreadsRoleAndItsLeafIsItsSelfFrame(@TempDir Path dir) throws Exception {
    Path collapsed = dir.resolve("collector.collapsed");
    Files.writeString(collapsed, String.join("\n",
        "[ingest-worker-1 tid=7];java/lang/Thread.run;io/hoptrace/collector/ingester/rows/WireSpanRows.append 6",
        "[ingest-worker-1 tid=7];java/lang/Thread.run;com/clickhouse/client/Http.send 2",
        "[ingester-traces tid=8];org/apache/kafka/clients/consumer/KafkaConsumer.poll 1",
        "[G1 Conc#0 tid=9] 1",
        "") + "\n");
    Profiler.Summary s = Profiler.summarise(collapsed);
    assertThat(s.samples()).isEqualTo(10);
    assertThat(s.percentByCategory())
        .containsEntry("ingester: OTLP -> RowBinary conversion", 60.0)
        .containsEntry("ingester: ClickHouse insert (HTTP client)", 20.0)
        .containsEntry("ingester: Kafka consumer (fetch, decompress, records)", 10.0)
        .containsEntry("GC and VM threads", 10.0);
    assertThat(s.topSelfFrames()).first().isEqualTo(" 60.0 %  io/hoptrace/collector/ingester/rows/WireSpanRows.append");
    assertThat(s.topSelfFrames()).contains(" 10.0 %  [G1 Conc#0 tid=9]");
    Files.writeString(collapsed, "[ingest-worker-1 tid=7];a/B.c 1\nnot a sample line\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Profiler.summarise(collapsed))
        .hasMessageContaining("not a line of collapsed stacks").hasMessageContaining("not a sample line");
  }
}
