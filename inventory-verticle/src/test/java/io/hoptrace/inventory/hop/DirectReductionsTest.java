package io.hoptrace.inventory.hop;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DirectReductionsTest {
  private final TestTelemetry telemetry = new TestTelemetry();
  private final DirectReductions queue = new DirectReductions(telemetry.otel.getTracer("test"));

  @AfterEach
  void close() {
    telemetry.close();
  }

  @Test
  void aReductionIsQueuedWithItsSpanUnderTheCallersSpan() {
    Span server = telemetry.otel.getTracer("test").spanBuilder("POST /reduce-stock").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = server.makeCurrent()) {
      queue.submit(new ReductionRequest("r-1", "phone", 2));
    }
    server.end();
    List<DirectReduction> waiting = queue.drain();
    assertThat(waiting).extracting(DirectReduction::request).containsExactly(new ReductionRequest("r-1", "phone", 2));
    assertThat(queue.drain()).as("drained once").isEmpty();

    waiting.get(0).succeed(decision("r-1"));
    SpanData s = telemetry.finished("stock transaction");
    assertThat(s.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(s.getParentSpanId()).isEqualTo(server.getSpanContext().getSpanId());
    assertThat(s.getAttributes().get(AttributeKey.stringKey("hoptrace.stock.request_id"))).isEqualTo("r-1");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("hoptrace.product.id"))).isEqualTo("phone");
    assertThat(s.getAttributes().get(AttributeKey.longKey("hoptrace.stock.quantity"))).isEqualTo(2L);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("hoptrace.stock.source"))).isEqualTo("http");
  }

  @Test
  void theFirstOutcomeWinsAndTheSpanEndsBeforeTheCallerHearsIt() {
    CompletableFuture<Decision> result = queue.submit(new ReductionRequest("r-1", "phone", 2));
    AtomicInteger spansEndedWhenHeard = new AtomicInteger(-1);
    result.whenComplete((d, e) -> spansEndedWhenHeard.set(telemetry.finished().size()));
    DirectReduction r = queue.drain().get(0);

    r.succeed(decision("r-1"));
    r.fail("too late");
    r.succeed(decision("other"));

    assertThat(spansEndedWhenHeard).as("the span had ended when the caller heard").hasValue(1);
    assertThat(result.join().requestId()).isEqualTo("r-1");
    assertThat(telemetry.finished()).singleElement().satisfies(s -> assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET));
  }

  @Test
  void failAllFailsEveryWaitingReductionAndLaterOnesQueueAgain() {
    CompletableFuture<Decision> a = queue.submit(new ReductionRequest("a", "phone", 1));
    CompletableFuture<Decision> b = queue.submit(new ReductionRequest("b", "phone", 1));

    queue.failAll("inventory is restarting after a Kafka error: gone");

    assertUnavailable(a, "inventory is restarting after a Kafka error: gone");
    assertUnavailable(b, "inventory is restarting after a Kafka error: gone");
    assertThat(telemetry.finished()).hasSize(2).allSatisfy(s -> {
      assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(s.getStatus().getDescription()).isEqualTo("inventory is restarting after a Kafka error: gone");
    });
    queue.submit(new ReductionRequest("c", "phone", 1));
    assertThat(queue.drain()).extracting(r -> r.request().requestId()).containsExactly("c");
  }

  @Test
  void aReductionSubmittedAfterCloseFailsAtOnceInsteadOfWaitingForever() {
    CompletableFuture<Decision> before = queue.submit(new ReductionRequest("a", "phone", 1));
    queue.close("inventory is stopping");
    CompletableFuture<Decision> after = queue.submit(new ReductionRequest("b", "phone", 1));

    assertUnavailable(before, "inventory is stopping");
    assertUnavailable(after, "inventory is stopping");
    assertThat(queue.drain()).isEmpty();
    assertThat(telemetry.finished()).hasSize(2);
  }

  static Decision decision(String requestId) {
    return new Decision(requestId, "phone", 2, Decision.Status.CONFIRMED, null, null, 3, Instant.parse("2026-01-01T00:00:00Z"));
  }

  static void assertUnavailable(CompletableFuture<Decision> f, String message) {
    assertThat(f).isCompletedExceptionally();
    assertThat(f.handle((d, e) -> e instanceof CompletionException c ? c.getCause() : e).join())
        .isInstanceOf(StockKeeper.Unavailable.class).hasMessage(message);
  }
}
