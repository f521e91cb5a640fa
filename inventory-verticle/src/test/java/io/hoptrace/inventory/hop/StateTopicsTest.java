package io.hoptrace.inventory.hop;

import static io.hoptrace.inventory.hop.RequestProcessorTest.CONFIG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.hoptrace.inventory.stock.Decision;
import io.hoptrace.inventory.stock.Product;
import io.hoptrace.inventory.stock.ReductionRequest;
import io.hoptrace.inventory.stock.StockLedger;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class StateTopicsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final StateTopics state = new StateTopics(CONFIG);

  @Test
  void restoreTakesTheLatestValuePerKeyAndATombstoneForgetsIt() {
    StockLedger l = new StockLedger();
    Decision d = new Decision("o-1", "phone", 1, Decision.Status.CONFIRMED, null, null, 4, NOW);
    state.restore(l, new ConsumerRecord<>("stock", 0, 0, "phone", new Product("phone", "Phone", 1.0, 5).toJson().encode()));
    state.restore(l, new ConsumerRecord<>("stock", 0, 1, "phone", new Product("phone", "Phone", 1.0, 4).toJson().encode()));
    state.restore(l, new ConsumerRecord<>("stock", 1, 0, "cup", new Product("cup", "Cup", 1.0, 9).toJson().encode()));
    state.restore(l, new ConsumerRecord<>("stock", 1, 1, "cup", null));
    state.restore(l, new ConsumerRecord<>("decisions", 2, 0, "o-1", d.toJson().encode()));
    state.restore(l, new ConsumerRecord<>("decisions", 2, 1, "o-2", d.toJson().put("requestId", "o-2").encode()));
    state.restore(l, new ConsumerRecord<>("decisions", 2, 2, "o-2", null));

    assertThat(l.products()).containsOnlyKeys("phone");
    assertThat(l.products().get("phone").stock()).isEqualTo(4);
    assertThat(l.decisionCount()).isEqualTo(1);
    l.begin();
    assertThat(l.decide(new ReductionRequest("o-1", "phone", 1), NOW).decision()).isEqualTo(d);
    assertThat(l.decide(new ReductionRequest("o-2", "phone", 1), NOW).duplicate()).isFalse();
  }

  @Test
  void aDecisionWritesWhatChangedAndADuplicateNothing() {
    StockLedger l = new StockLedger();
    l.restore(new Product("phone", "Phone", 1.0, 5));
    l.commit();
    l.begin();

    StockLedger.Outcome confirmed = l.decide(new ReductionRequest("o-1", "phone", 2), NOW);
    assertThat(state.records(confirmed)).extracting(ProducerRecord::topic, ProducerRecord::key)
        .containsExactly(tuple("stock", "phone"), tuple("decisions", "o-1"));
    StockLedger.Outcome refused = l.decide(new ReductionRequest("o-2", "phone", 9), NOW);
    assertThat(state.records(refused)).extracting(ProducerRecord::topic).containsExactly("decisions");
    assertThat(state.records(l.decide(new ReductionRequest("o-1", "phone", 2), NOW))).isEmpty();
    assertThat(state.records(l.decide(new ReductionRequest("h-1", "phone", 9), NOW, false))).isEmpty();
  }
}
